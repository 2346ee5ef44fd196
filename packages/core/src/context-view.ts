import { type Fitted, fitValue, tokensOf } from "./context-fit.ts";
import {
  type ContextItem,
  compareNewest,
  compareOpenTasks,
  countByStatus,
  decisionsOf,
  isFinished,
  statusOf,
  tasksOf,
  versionsOf,
} from "./context-sources.ts";
import { ChorusError } from "./errors.ts";
import { isJsonObject, type JsonObject, type JsonValue } from "./json.ts";
import { escapeToken, getAt, hasAt, parsePointer } from "./pointer.ts";
import type { FeedEntry } from "./schemas/change-feed.ts";
import type {
  ContextOmission,
  ContextSection,
  ContextSectionName,
  ContextView,
} from "./schemas/context-view.ts";
import type { QueuedConflict } from "./schemas/queued-conflict.ts";
import type { TokenCounter } from "./token-counter.ts";

/** How many of a workflow's latest versions a context view reads (the rest only counted). */
export const CONTEXT_RECENT_VERSIONS = 20;
/** The encoding context views are counted in: that of GPT-4o, GPT-4.1, GPT-5 and the o-series. */
export const CONTEXT_TOKEN_ENCODING = "o200k_base";
/**
 * Names the selection rules and the encoding of context views, for whoever keeps views (the
 * Context Optimizer's store, the gateway's cache): bumped when the rules change, so no view made
 * by older rules is served.
 */
export const CONTEXT_VIEW_REVISION = `r1/${CONTEXT_TOKEN_ENCODING}`;
/** How many finished tasks a context view names, the most recently updated. */
const LATEST_FINISHED = 5;

/** What a context view is made from: one version of a workflow and the query. */
export interface ContextInput {
  /** the version read */
  version: number;
  /** the workflow's state at that version */
  state: JsonValue;
  /** change-feed entries of its latest versions (those above `version` are ignored) */
  recent: readonly FeedEntry[];
  /** the workflow's queued conflicts (those resolved after `version` are ignored) */
  conflicts: readonly QueuedConflict[];
  budget: number;
  /** a JSON Pointer into the state: what the reader works on, first in the view */
  focus?: string | undefined;
}

/**
 * Picks the most relevant part of one version of a workflow that fits a token budget. Sections
 * are filled in order of relevance, each from what the ones before left: the focus, the status,
 * open tasks (held and failing first), recent versions and decisions, then counts of finished
 * tasks and agents, then `data` and `metadata`. It copies values and counts them; it never
 * writes text of its own. A function of its input alone, so the same input gives the same view.
 * @param input the version, its state, recent versions, conflicts, budget and focus
 * @param count the token counter
 * @returns the view; `tokens` ≤ `budget`, and everything cut is in `omitted`
 * @throws ChorusError `INVALID_POINTER` or `NOT_FOUND` at `/focus`
 * @example
 * const view = buildContextView({ version: 7, state, recent, conflicts, budget: 2000, focus: "/tasks/t1" }, countTokens);
 * view.sections[0]; // { name: "focus", source: "/tasks/t1", condensed: false, tokens: 41, content: { … } }
 */
export function buildContextView(input: ContextInput, count: TokenCounter): ContextView {
  const view = new ViewBuilder(input.budget, count, input.focus);
  const state = isJsonObject(input.state) ? input.state : {};
  if (input.focus !== undefined) {
    view.value("focus", input.focus, focusValue(input.state, input.focus), false);
  }
  view.value("status", "", statusOf(state));
  const tasks = tasksOf(state);
  const open = tasks.filter((task) => !isFinished(task.value)).sort(compareOpenTasks);
  view.list("open-tasks", "/tasks", open);
  view.list("recent-changes", "history", versionsOf(input.recent, input.version));
  view.olderVersions(input.recent, input.version);
  view.list("decisions", "history", decisionsOf(input.conflicts, input.version));
  const finished = view.notRepeated(
    "finished-tasks",
    tasks.filter((t) => isFinished(t.value)),
  );
  view.summary("finished-tasks", "/tasks", finished, {
    latest: [...finished]
      .sort(compareNewest)
      .slice(0, LATEST_FINISHED)
      .map(({ value }) => ({ id: value.id ?? null, status: value.status ?? null })),
  });
  const agents = isJsonObject(state.agents) ? Object.entries(state.agents) : [];
  view.summary(
    "agents",
    "/agents",
    view.notRepeated(
      "agents",
      agents.map(([key, value]) => ({ ref: `/agents/${escapeToken(key)}`, value })),
    ),
  );
  if (state.data !== undefined) view.value("data", "/data", state.data);
  if (isJsonObject(state.metadata) && Object.keys(state.metadata).length > 0) {
    view.value("metadata", "/metadata", state.metadata);
  }
  return view.done(input.version);
}

function focusValue(state: JsonValue, focus: string): JsonValue {
  try {
    parsePointer(focus);
  } catch (error) {
    throw new ChorusError("INVALID_POINTER", (error as Error).message, { path: "/focus" });
  }
  if (!hasAt(state, focus)) {
    throw new ChorusError("NOT_FOUND", `nothing at ${focus} in this version`, { path: "/focus" });
  }
  return getAt(state, focus);
}

/** A view being filled: the room left, the sections made and what was left out. */
class ViewBuilder {
  #room: number;
  readonly #budget: number;
  readonly #count: TokenCounter;
  readonly #focus: string | undefined;
  readonly #sections: ContextSection[] = [];
  readonly #omitted: ContextOmission[] = [];

  constructor(budget: number, count: TokenCounter, focus: string | undefined) {
    this.#budget = budget;
    this.#room = budget;
    this.#count = count;
    this.#focus = focus;
  }

  /** A section holding one value, cut to the room left. */
  value(name: ContextSectionName, source: string, value: JsonValue, repeatable = true): void {
    if (isJsonObject(value) && Object.keys(value).length === 0) return;
    if (repeatable && this.#repeats(source)) {
      this.#omit(name, source, "repeated", tokensOf(value, this.#count));
      return;
    }
    const fitted = fitValue(value, source, this.#room, this.#count);
    if (fitted === undefined) this.#omit(name, source, "budget", tokensOf(value, this.#count));
    else this.#add(name, source, false, fitted);
  }

  /** A section listing items, each whole or cut, in their order while the room lasts. */
  list(name: ContextSectionName, source: string, items: readonly ContextItem[]): void {
    const kept: Array<ContextItem & Fitted> = [];
    let room = this.#room - this.#count("[]");
    for (const item of this.notRepeated(name, items)) {
      const fitted = fitValue(item.value, item.ref, room - 1, this.#count);
      if (fitted === undefined) {
        this.#omit(name, item.ref, "budget", tokensOf(item.value, this.#count));
        continue;
      }
      kept.push({ ...fitted, ref: item.ref });
      room -= fitted.tokens + 1;
    }
    // Items were counted apart: count the list once more and drop its last items while over.
    let tokens = tokensOf(
      kept.map((item) => item.value),
      this.#count,
    );
    while (tokens > this.#room && kept.length > 0) {
      const dropped = kept.pop() as ContextItem & Fitted;
      this.#omit(name, dropped.ref, "budget", dropped.tokens);
      tokens = tokensOf(
        kept.map((item) => item.value),
        this.#count,
      );
    }
    if (kept.length === 0) return;
    this.#add(name, source, false, {
      value: kept.map((item) => item.value),
      tokens,
      cuts: kept.flatMap((item) => item.cuts),
    });
  }

  /** A section of counts by status standing for items left out, and extra members. */
  summary(
    name: ContextSectionName,
    source: string,
    items: readonly ContextItem[],
    extra: JsonObject = {},
  ): void {
    if (items.length === 0) return;
    const tokens = items.reduce((sum, item) => sum + tokensOf(item.value, this.#count), 0);
    this.#omitted.push({
      section: name,
      ref: source,
      reason: "condensed",
      count: items.length,
      tokens,
    });
    const content = { count: items.length, byStatus: countByStatus(items), ...extra };
    // A summary's members are no pointers into the state: it is kept whole or left out.
    const own = tokensOf(content, this.#count);
    if (own > this.#room) this.#omit(name, source, "budget", own);
    else this.#add(name, source, true, { value: content, tokens: own, cuts: [] });
  }

  /** Records versions before the recent window as one condensed omission. */
  olderVersions(recent: readonly FeedEntry[], version: number): void {
    const read = recent.map((entry) => entry.version.version).filter((n) => n <= version);
    const oldest = read.length === 0 ? version + 1 : Math.min(...read);
    if (oldest <= 1) return;
    this.#omitted.push({
      section: "recent-changes",
      ref: oldest === 2 ? "version:1" : `versions:1-${oldest - 1}`,
      reason: "condensed",
      count: oldest - 1,
      tokens: 0,
    });
  }

  /** The items not at or inside the focus; those that are are recorded as repeated. */
  notRepeated<T extends ContextItem>(name: ContextSectionName, items: readonly T[]): T[] {
    return items.filter((item) => {
      if (!this.#repeats(item.ref)) return true;
      this.#omit(name, item.ref, "repeated", tokensOf(item.value, this.#count));
      return false;
    });
  }

  done(version: number): ContextView {
    const tokens = this.#sections.reduce((sum, section) => sum + section.tokens, 0);
    return {
      version,
      budget: this.#budget,
      tokens,
      sections: this.#sections,
      omitted: this.#omitted,
    };
  }

  #repeats(ref: string): boolean {
    const focus = this.#focus;
    // Only pointers into the state can repeat the focus; `version:3` and the like cannot.
    const pointer = ref === "" || ref.startsWith("/");
    return (
      focus !== undefined &&
      pointer &&
      (ref === focus || ref.startsWith(`${focus}/`) || focus === "")
    );
  }

  #add(name: ContextSectionName, source: string, condensed: boolean, fitted: Fitted): void {
    this.#sections.push({ name, source, condensed, tokens: fitted.tokens, content: fitted.value });
    this.#room -= fitted.tokens;
    for (const cut of fitted.cuts) this.#omitted.push({ section: name, reason: "budget", ...cut });
  }

  #omit(
    section: ContextSectionName,
    ref: string,
    reason: ContextOmission["reason"],
    tokens: number,
  ) {
    this.#omitted.push({ section, ref, reason, tokens });
  }
}

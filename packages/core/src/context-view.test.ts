import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildContextView, type ContextInput } from "./context-view.ts";
import type { JsonObject, JsonValue } from "./json.ts";
import { hasAt } from "./pointer.ts";
import type { FeedEntry } from "./schemas/change-feed.ts";
import { ContextView } from "./schemas/context-view.ts";
import type { QueuedConflict } from "./schemas/queued-conflict.ts";
import { catchError } from "./testing/catch-error.ts";
import { estimateTokens } from "./token-counter.ts";
import { validate } from "./validate.ts";

const STATUSES = ["pending", "ready", "claimed", "completed", "failed", "cancelled", "dead"];

function task(i: number): JsonObject {
  return {
    id: `t${i}`,
    title: `Task number ${i}`,
    status: STATUSES[i % STATUSES.length] as string,
    priority: i % 5 === 0 ? "high" : "normal",
    updatedAt: 1000 + i,
    notes: `Notes of task ${i}: ${"detail ".repeat(i % 7)}`,
  };
}

function state(tasks: number): JsonObject {
  const all: JsonObject = {};
  for (let i = 0; i < tasks; i++) all[`t${i}`] = task(i);
  return {
    id: "wf",
    name: "Release 1.4",
    status: "running",
    priority: "high",
    tasks: all,
    agents: { a1: { id: "a1", status: "busy" }, a2: { id: "a2", status: "idle" } },
    data: { log: Array.from({ length: 30 }, (_, i) => `step ${i} done`), owner: "ops" },
    metadata: { team: "release" },
  };
}

function entry(version: number): FeedEntry {
  return {
    version: {
      id: `v${version}`,
      workflowId: "wf",
      version,
      branch: "main",
      parents: version === 1 ? [] : [`v${version - 1}`],
      timestamp: 5000 + version,
      author: `agent-${version % 3}`,
      changeDescription: `change ${version}`,
      checksum: "0".repeat(64),
    },
    changes: [
      {
        id: `wf@${version}:0`,
        workflowId: "wf",
        type: "task-update",
        path: `/tasks/t${version % 10}/status`,
        newValue: "ready",
        timestamp: 5000 + version,
        agentId: "a1",
      },
    ],
  };
}

const conflict: QueuedConflict = {
  id: "c1",
  branch: "main",
  base: 3,
  head: 4,
  source: "commit",
  theirsVersion: null,
  status: "resolved",
  author: "agent-2",
  description: "two agents set the release date",
  createdAt: 4000,
  conflicts: [{ path: "/data/owner", base: "a", ours: "b", theirs: "c" }],
  resolvedVersion: 5,
};

function input(overrides: Partial<ContextInput> = {}): ContextInput {
  return {
    version: 40,
    state: state(30),
    recent: Array.from({ length: 20 }, (_, i) => entry(21 + i)),
    conflicts: [conflict],
    budget: 2000,
    ...overrides,
  };
}

const view = (overrides: Partial<ContextInput> = {}) =>
  buildContextView(input(overrides), estimateTokens);

describe("buildContextView", () => {
  it("answers the schema, within its budget", () => {
    const answer = view({ budget: 300 });
    expect(validate(ContextView, answer).success).toBe(true);
    expect(answer.tokens).toBeLessThanOrEqual(300);
    expect(answer.tokens).toBe(answer.sections.reduce((sum, s) => sum + s.tokens, 0));
    for (const section of answer.sections) {
      expect(section.tokens).toBe(estimateTokens(JSON.stringify(sorted(section.content))));
    }
  });

  it("puts the focus first, whole, and does not repeat it", () => {
    const answer = view({ focus: "/tasks/t2" });
    expect(answer.sections[0]).toMatchObject({
      name: "focus",
      source: "/tasks/t2",
      content: task(2),
    });
    expect(answer.omitted).toContainEqual(
      expect.objectContaining({ section: "open-tasks", ref: "/tasks/t2", reason: "repeated" }),
    );
    const open = answer.sections.find((s) => s.name === "open-tasks")?.content as JsonObject[];
    expect(open.map((t) => t.id)).not.toContain("t2");
  });

  it("lists open tasks held and failing first, then by priority and recency", () => {
    const open = contentOf(view({ budget: 50_000 }), "open-tasks") as JsonObject[];
    const ids = open.map((t) => `${t.status}:${t.id}`);
    expect(ids.slice(0, 5)).toEqual([
      "claimed:t23",
      "claimed:t16",
      "claimed:t9",
      "claimed:t2",
      "failed:t25",
    ]);
    expect(ids).toHaveLength(18);
    expect(ids.some((id) => /^(completed|cancelled|dead):/.test(id))).toBe(false);
  });

  it("condenses finished tasks and agents into counts and the latest values", () => {
    const answer = view({ budget: 50_000 });
    expect(answer.sections.find((s) => s.name === "finished-tasks")).toMatchObject({
      source: "/tasks",
      condensed: true,
      content: {
        count: 12,
        byStatus: { cancelled: 4, completed: 4, dead: 4 },
        latest: [
          { id: "t27", status: "dead" },
          { id: "t26", status: "cancelled" },
          { id: "t24", status: "completed" },
          { id: "t20", status: "dead" },
          { id: "t19", status: "cancelled" },
        ],
      },
    });
    expect(answer.omitted).toContainEqual(
      expect.objectContaining({
        section: "finished-tasks",
        ref: "/tasks",
        reason: "condensed",
        count: 12,
      }),
    );
    expect(answer.sections.find((s) => s.name === "agents")?.content).toEqual({
      count: 2,
      byStatus: { busy: 1, idle: 1 },
    });
  });

  it("lists recent versions newest first and counts the older ones", () => {
    const answer = view({ version: 38, budget: 50_000 });
    const recent = contentOf(answer, "recent-changes") as JsonObject[];
    const versions = recent.map((v) => v.version);
    expect(versions).toEqual(Array.from({ length: 18 }, (_, i) => 38 - i));
    expect(recent[0]).toEqual({
      version: 38,
      branch: "main",
      author: "agent-2",
      description: "change 38",
      timestamp: 5038,
      paths: ["/tasks/t8/status"],
    });
    expect(answer.omitted).toContainEqual({
      section: "recent-changes",
      ref: "versions:1-20",
      reason: "condensed",
      count: 20,
      tokens: 0,
    });
  });

  it("lists the conflicts resolved by the version as decisions", () => {
    const decisions = (version: number) =>
      view({ version, budget: 50_000 }).sections.find((s) => s.name === "decisions")?.content;
    expect(decisions(40)).toEqual([
      {
        conflict: "c1",
        resolvedVersion: 5,
        branch: "main",
        author: "agent-2",
        description: "two agents set the release date",
        paths: ["/data/owner"],
      },
    ]);
    expect(decisions(4)).toBeUndefined();
  });

  it("gives the same view for the same input, whatever the order it came in", () => {
    const first = view({ focus: "/data", budget: 700 });
    const shuffled = view({
      focus: "/data",
      budget: 700,
      recent: [...input().recent].reverse(),
    });
    expect(shuffled).toEqual(first);
    expect(JSON.stringify(view({ focus: "/data", budget: 700 }))).toBe(JSON.stringify(first));
  });

  it("cuts a focus larger than the budget and names what it cut", () => {
    const answer = view({ focus: "/data", budget: 40 });
    expect(answer.sections[0]?.name).toBe("focus");
    const log = (contentOf(answer, "focus") as JsonObject).log as string[];
    expect(log.at(-1)).toBe("step 29 done");
    expect(answer.omitted).toContainEqual(
      expect.objectContaining({
        section: "focus",
        ref: "/data/log",
        reason: "budget",
        count: 30 - log.length,
      }),
    );
  });

  it("accounts for every open task: in the view, or named in omitted", () => {
    for (const budget of [50, 200, 800]) {
      const answer = view({ budget });
      const shown = new Set(
        answer.sections
          .filter((s) => s.name === "open-tasks")
          .flatMap((s) => (s.content as JsonObject[]).map((t) => `/tasks/${String(t.id)}`)),
      );
      const omitted = new Set(answer.omitted.map((o) => o.ref));
      for (let i = 0; i < 30; i++) {
        if (["completed", "cancelled", "dead"].includes(task(i).status as string)) continue;
        expect(shown.has(`/tasks/t${i}`) || omitted.has(`/tasks/t${i}`)).toBe(true);
      }
    }
  });

  it("refuses a focus that is no pointer, or points at nothing", () => {
    expect(catchError(() => view({ focus: "tasks" }))).toMatchObject({
      code: "INVALID_POINTER",
      path: "/focus",
    });
    expect(catchError(() => view({ focus: "/tasks/t99" }))).toMatchObject({
      code: "NOT_FOUND",
      path: "/focus",
    });
  });

  it("stays within any budget and writes no text the workflow does not hold", () => {
    const known = new Set<string>();
    collectStrings(input() as unknown as JsonValue, known);
    const focuses = [undefined, "", "/tasks/t2", "/data/log", "/status", "/agents"];
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4000 }),
        fc.constantFrom(...focuses),
        (budget, focus) => {
          const answer = view({ budget, focus });
          expect(answer.tokens).toBeLessThanOrEqual(budget);
          const written = new Set<string>();
          for (const section of answer.sections) collectStrings(section.content, written);
          for (const text of written) expect(known.has(text), text).toBe(true);
          for (const { ref } of answer.omitted) {
            const other = /^(version:|versions:|conflict:)/.test(ref);
            expect(other || hasAt(input().state, ref), ref).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

function contentOf(answer: ContextView, name: string): JsonValue {
  const section = answer.sections.find((s) => s.name === name);
  if (section === undefined) throw new Error(`no ${name} section`);
  return section.content;
}

function sorted(value: JsonValue): JsonValue {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(sorted);
  const out: JsonObject = {};
  for (const key of Object.keys(value).sort()) out[key] = sorted(value[key] as JsonValue);
  return out;
}

/** Adds every string value (not member names) in a JSON value to `into`. */
function collectStrings(value: JsonValue, into: Set<string>): void {
  if (typeof value === "string") into.add(value);
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, into);
  else if (value !== null && typeof value === "object") {
    for (const member of Object.values(value)) collectStrings(member, into);
  }
}

import {
  attempt,
  buildContextView,
  CONTEXT_RECENT_VERSIONS,
  type JsonObject,
  type JsonValue,
  type Result,
  unwrap,
  validateOrThrow,
} from "@chorus/core";
import { BaseAgent } from "./base-agent.ts";
import { ContextViewStore, viewLimits } from "./context-view-store.ts";
import { ContextRequest, type ContextRequestInput } from "./inputs.ts";
import { CONTEXT_OPTIMIZER_MIGRATIONS } from "./sql/context-optimizer-schema.ts";
import { tokenCounter } from "./token-count.ts";

/** A context view as the optimizer answers it. */
export interface ContextAnswer {
  /** the `ContextView` as JSON text, byte for byte the same each time it is asked for */
  view: string;
  /** `true` when it came from the optimizer's store, `false` when it was built now */
  stored: boolean;
}

/**
 * The Context Optimizer: one per workflow, it answers token-budgeted views of the workflow's
 * versions (core's `buildContextView`, counted in `o200k_base` by `gpt-tokenizer`) and keeps
 * each view it builds in its SQLite store, so the same version, budget and focus are answered
 * from storage. It needs no spawn: {@link ContextOptimizer.context} works on any object of the
 * namespace. Spawned, it registers like any agent and shows its store's size as `detail`.
 *
 * It has no `onChange`: views are per version and immutable, so a commit makes none stale, and
 * building views ahead for budgets and foci nobody may ask for would spend the tokenizer for
 * nothing. The store is bounded instead (oldest views dropped first), so it needs no pruning.
 */
export class ContextOptimizer extends BaseAgent {
  readonly #views = new ContextViewStore(this.ctx.storage, viewLimits(this.env));

  protected override migrations(): readonly string[] {
    return CONTEXT_OPTIMIZER_MIGRATIONS;
  }

  /**
   * The view of a version within a budget, from the store when it was built before.
   * @returns the view's JSON text; `NOT_FOUND` at `/workflowId` or `/version`, `/focus` errors
   *   (`INVALID_POINTER`, `NOT_FOUND`) at `/focus`, a bad input `VALIDATION_FAILED` at its field
   */
  async context(input: ContextRequestInput): Promise<Result<ContextAnswer>> {
    return attempt(async () => {
      const query = validateOrThrow(ContextRequest, input);
      const key = { version: query.version, budget: query.budget, focus: query.focus };
      const kept = this.#views.get(key);
      if (kept !== undefined) {
        this.count("viewsFromStore");
        return { view: kept, stored: true };
      }
      const view = JSON.stringify(await this.#build(query));
      this.#views.put(key, view);
      this.count("viewsBuilt");
      return { view, stored: false };
    });
  }

  protected override detail(): JsonObject {
    return { store: this.#views.size() };
  }

  async #build(query: ContextRequest) {
    const { workflowId, version } = query;
    const [read, feed, conflicts, count] = await Promise.all([
      this.env.STATE.getState({ workflowId, version }),
      this.env.STATE.changesSince({
        workflowId,
        version: Math.max(0, version - CONTEXT_RECENT_VERSIONS),
        limit: CONTEXT_RECENT_VERSIONS,
      }),
      this.env.STATE.listConflicts({ workflowId, status: "resolved" }),
      tokenCounter(),
    ]);
    return buildContextView(
      {
        version,
        state: unwrap(read).state as JsonValue,
        recent: unwrap(feed).entries,
        conflicts: unwrap(conflicts),
        budget: query.budget,
        focus: query.focus,
      },
      count,
    );
  }
}

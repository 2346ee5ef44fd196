import { applyPatch, diff, type JsonValue, type StateEvent, toStateEvent } from "@chorus/core";
import type { VersionRow } from "./version-store.ts";
import type { WorkflowContext } from "./workflow-context.ts";

/** The state before version 1, which has no parent: a stream's replica starts from it. */
const EMPTY: JsonValue = {};

/**
 * Builds the {@link StateEvent} of a version: the stored patch against its first parent (every
 * version stores one, archived ones in R2, and the first parent is the branch's previous head,
 * also for merges), read without rebuilding the version; for version 1, the diff from `{}`. One
 * function for every deliverer: live pushes, replays, and the outbox to come.
 * @param ctx the workflow
 * @param row the version
 * @param options `remember`: keep the version's state in the cache, so the next version's parent
 *   is a lookup (for replays, which walk versions in order)
 * @returns the event
 */
export async function versionEvent(
  ctx: WorkflowContext,
  row: VersionRow,
  options: { remember?: boolean } = {},
): Promise<StateEvent> {
  const parent = row.parents[0];
  const before = parent === undefined ? EMPTY : await ctx.versions.stateAt(parent);
  const patch =
    parent === undefined
      ? diff(EMPTY, await ctx.versions.stateAt(row.version))
      : await ctx.versions.patchOf(row.version);
  if (options.remember === true && parent !== undefined) {
    ctx.versions.remember(row.version, applyPatch(before, patch));
  }
  return toStateEvent(
    {
      workflowId: ctx.workflowId(),
      version: row.version,
      branch: row.branch,
      parents: row.parents,
      author: row.author,
      changeDescription: row.description,
      timestamp: row.timestamp,
      checksum: row.checksum,
    },
    patch,
    before,
  );
}

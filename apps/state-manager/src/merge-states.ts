import { type JsonValue, type MergeResult, merge } from "@chorus/core";
import type { WorkflowContext } from "./workflow-context.ts";

/** The sides of a three-way merge inside one workflow. */
export interface MergeSides {
  base: JsonValue;
  /** the version already committed (a branch head) */
  ours: number;
  /** the incoming side: a version, or a state that is not committed */
  theirs: { version?: number; state: JsonValue };
  /** who brings `theirs` */
  author: string;
  /** one strategy for every conflict, overriding the workflow's rules */
  strategy?: string;
}

/**
 * Three-way merges with the workflow's strategy rules (or one strategy for everything), giving
 * last-writer-wins the timestamps and authors it needs.
 * @param ctx the workflow
 * @param sides what to merge
 * @returns core's merge result
 */
export async function mergeStates(ctx: WorkflowContext, sides: MergeSides): Promise<MergeResult> {
  const settings = ctx.settings();
  const ours = ctx.versions.require(sides.ours);
  const theirsRow =
    sides.theirs.version === undefined ? undefined : ctx.versions.require(sides.theirs.version);
  return merge(sides.base, await ctx.versions.stateAt(sides.ours), sides.theirs.state, {
    rules: sides.strategy === undefined ? settings.rules : [],
    defaultStrategy: sides.strategy ?? settings.defaultStrategy,
    oursTimestamp: ours.timestamp,
    theirsTimestamp: theirsRow?.timestamp ?? ctx.now(),
    oursAuthor: ours.author,
    theirsAuthor: theirsRow?.author ?? sides.author,
  });
}

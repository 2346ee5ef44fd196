import * as v from "valibot";
import { StateChange } from "./state-change.ts";
import { StateVersion } from "./state-version.ts";

/** One entry of a workflow's change feed: a version and what it changed against its first parent. */
export const FeedEntry = v.object({ version: StateVersion, changes: v.array(StateChange) });

/** One entry of a workflow's change feed. */
export type FeedEntry = v.InferOutput<typeof FeedEntry>;

/** A page of a workflow's change feed, in version order. */
export const ChangeFeed = v.object({
  entries: v.array(FeedEntry),
  /** whether versions after the last entry remain */
  hasMore: v.boolean(),
});

/** A page of a workflow's change feed, in version order. */
export type ChangeFeed = v.InferOutput<typeof ChangeFeed>;

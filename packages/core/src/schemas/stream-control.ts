import * as v from "valibot";
import { BranchName } from "./branch-name.ts";
import { EventFilter } from "./event-filter.ts";

const Cursor = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

/**
 * What the state manager tells a stream's relay (the gateway) besides events, over their
 * WebSocket: `open` first, with the version the stream starts after; `paused` after each replay
 * batch, until the relay asks for more (so a replay goes no faster than its consumer).
 */
export const StreamControl = v.variant("type", [
  v.object({ type: v.literal("open"), cursor: Cursor }),
  v.object({ type: v.literal("paused"), cursor: Cursor }),
]);

/** What the state manager tells a stream's relay besides events. */
export type StreamControl = v.InferOutput<typeof StreamControl>;

/**
 * What a change stream asks the state manager for, as the relay sends it with the WebSocket
 * upgrade: where to start (`since`: replay every version after it; absent: live from the head),
 * one branch or all, and the filter.
 */
export const StreamSubscription = v.object({
  workflowId: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  since: v.exactOptional(Cursor),
  branch: v.exactOptional(BranchName),
  ...EventFilter.entries,
});

/** What a change stream asks the state manager for. */
export type StreamSubscription = v.InferOutput<typeof StreamSubscription>;

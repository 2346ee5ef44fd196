import * as v from "valibot";

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

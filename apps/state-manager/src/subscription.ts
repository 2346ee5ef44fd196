import { BranchName, StateChangeType } from "@chorus/core";
import * as v from "valibot";

const Cursor = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

/**
 * Where a subscriber is, kept with its socket (`serializeAttachment`, at most 2 KiB) so that it
 * survives the object's hibernation: `cursor` is the last version it has been sent or passed
 * over; `mode` is `live` (commits are pushed to it), `replaying` (a replay loop is sending it
 * stored versions) or `paused` (a replay batch went out; the relay has not asked for more).
 */
export const Subscriber = v.object({
  cursor: Cursor,
  mode: v.picklist(["live", "replaying", "paused"]),
  branch: v.exactOptional(BranchName),
  paths: v.exactOptional(v.array(v.string())),
  types: v.exactOptional(v.array(StateChangeType)),
});

/** Where a subscriber is, kept with its socket. */
export type Subscriber = v.InferOutput<typeof Subscriber>;

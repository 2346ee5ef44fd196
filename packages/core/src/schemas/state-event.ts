import * as v from "valibot";
import { JsonPatch } from "../json-patch.ts";
import { BranchName } from "./branch-name.ts";
import { Checksum, Id, Timestamp, VersionNumber } from "./fields.ts";
import { StateChange } from "./state-change.ts";

/**
 * One committed version as a change stream delivers it (`GET …/events`, `GET …/subscribe`, and
 * the outbox to workers): its metadata, the JSON Patch from its first parent (the branch's
 * previous head) and the {@link StateChange}s of that patch. Applied to the state of its first
 * parent (`{}` for version 1, which has none), an unfiltered event's `patch` gives the state whose
 * RFC 8785 SHA-256 is `checksum`.
 *
 * @example
 * v.parse(StateEvent, JSON.parse(message.data));
 */
export const StateEvent = v.object({
  workflowId: Id,
  version: VersionNumber,
  branch: BranchName,
  /** version numbers this one was made from, first parent first; none for version 1 */
  parents: v.array(VersionNumber),
  author: Id,
  changeDescription: v.pipe(v.string(), v.maxLength(1000)),
  timestamp: Timestamp,
  /** `checksum()` of the state this version holds */
  checksum: Checksum,
  /** RFC 6902, from the first parent's state to this version's (only the matching parts when filtered) */
  patch: JsonPatch,
  /** what `patch` did, as `toStateChanges` describes it (only the matching ones when filtered) */
  changes: v.array(StateChange),
});

/** One committed version as a change stream delivers it. */
export type StateEvent = v.InferOutput<typeof StateEvent>;

/**
 * The last message of a stream closed because its consumer fell behind (SSE `event: resume`,
 * the reason of WebSocket close code 4008): the version to pass back as `since`.
 */
export const StreamResume = v.object({
  /** the last version delivered; 0 when none was */
  since: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
});

/** The last message of a stream closed because its consumer fell behind. */
export type StreamResume = v.InferOutput<typeof StreamResume>;

import * as v from "valibot";
import { Checksum, Id, Timestamp, VersionNumber } from "./fields.ts";

/** A named point-in-time copy of one version of a workflow's state, kept for restores. */
export const Snapshot = v.object({
  id: Id,
  workflowId: Id,
  /** the version it copies */
  version: VersionNumber,
  description: v.pipe(v.string(), v.maxLength(1000)),
  createdAt: Timestamp,
  author: Id,
  /** `checksum()` of the state it copies */
  checksum: Checksum,
});

/** A named point-in-time copy of one version of a workflow's state. */
export type Snapshot = v.InferOutput<typeof Snapshot>;

/** Every snapshot of a workflow, newest first. */
export const SnapshotList = v.object({ snapshots: v.array(Snapshot) });

/** Every snapshot of a workflow, newest first. */
export type SnapshotList = v.InferOutput<typeof SnapshotList>;

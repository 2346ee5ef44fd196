import * as v from "valibot";
import { Conflict } from "../conflict.ts";
import { BranchName } from "./branch-name.ts";
import { Id, Timestamp, VersionNumber } from "./fields.ts";

/** Whether a queued conflict still waits for a resolution. */
export const QueuedConflictStatus = v.picklist(["open", "resolved"]);

/** Whether a queued conflict still waits for a resolution. */
export type QueuedConflictStatus = v.InferOutput<typeof QueuedConflictStatus>;

/** A merge that strategies could not finish, kept in a queue until someone resolves it. */
export const QueuedConflict = v.object({
  id: Id,
  branch: BranchName,
  /** the version both sides started from */
  base: VersionNumber,
  /** the branch head when the conflict was found */
  head: VersionNumber,
  /** `commit`, or `branch:<name>` for a branch merge */
  source: v.string(),
  /** the source branch's head for a branch merge; `null` for a commit, whose side is no version */
  theirsVersion: v.nullable(VersionNumber),
  status: QueuedConflictStatus,
  author: Id,
  description: v.string(),
  createdAt: Timestamp,
  conflicts: v.array(Conflict),
  /** the version that resolved it; `null` while it is open */
  resolvedVersion: v.nullable(VersionNumber),
});

/** A merge that strategies could not finish, kept in a queue until someone resolves it. */
export type QueuedConflict = v.InferOutput<typeof QueuedConflict>;

/** A workflow's queued conflicts, oldest first. */
export const ConflictList = v.object({ conflicts: v.array(QueuedConflict) });

/** A workflow's queued conflicts, oldest first. */
export type ConflictList = v.InferOutput<typeof ConflictList>;

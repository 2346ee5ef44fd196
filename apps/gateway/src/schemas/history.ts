import { BranchName, Id, JsonData, QueuedConflictStatus, VersionNumber } from "@chorus/core";
import * as v from "valibot";
import { LimitParam, VersionParam } from "./params.ts";

/** The body of `POST .../snapshots`; may be empty (the head of `main`). */
export const SnapshotBody = v.strictObject({
  description: v.optional(v.pipe(v.string(), v.maxLength(1000)), ""),
  version: v.optional(VersionNumber),
  branch: v.optional(BranchName),
});

/** The body of `POST .../restore`. */
export const RestoreBody = v.strictObject({ snapshotId: Id, branch: v.optional(BranchName) });

/** The body of `POST .../branches`. */
export const BranchBody = v.strictObject({
  name: BranchName,
  /** where the branch starts; the head of `main` by default */
  fromVersion: v.optional(VersionNumber),
});

/** The body of `POST .../branches/{name}/merge`; may be empty (into `main`). */
export const MergeBody = v.strictObject({
  into: v.optional(BranchName),
  /** settle every conflict with this strategy (`ours`, `theirs`, `last-writer-wins`, …) */
  strategy: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(100))),
  changeDescription: v.optional(v.pipe(v.string(), v.maxLength(2000))),
});

/** The query of `GET .../conflicts`. */
export const ConflictsQuery = v.object({ status: v.optional(QueuedConflictStatus) });

/** The body of `POST .../conflicts/{cid}/resolve`. */
export const ResolveBody = v.strictObject({
  /** `ours` keeps the head, `theirs` the incoming side, or a value for every conflicting path */
  resolution: v.union([
    v.picklist(["ours", "theirs"]),
    v.strictObject({ values: v.record(v.string(), JsonData) }),
  ]),
});

/** The query of `GET .../audit`. */
export const AuditQuery = v.object({
  limit: v.optional(LimitParam),
  /** the `nextCursor` of the previous page */
  cursor: v.optional(VersionParam),
});

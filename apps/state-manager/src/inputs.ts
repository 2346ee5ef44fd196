import {
  BranchName,
  Checksum,
  HeldChecksums,
  QueuedConflictStatus,
  SettingsPatch,
  VersionNumber,
} from "@chorus/core";
import * as v from "valibot";

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(128));
const Author = v.pipe(v.string(), v.minLength(1), v.maxLength(200));
const Description = v.optional(v.pipe(v.string(), v.maxLength(2000)), "");

/** Addresses one workflow's StateManager. */
export const WorkflowRef = v.object({ workflowId: Id });
export type WorkflowRef = v.InferInput<typeof WorkflowRef>;

/** Creates a workflow's history: version 1 on `main`. */
export const CreateInput = v.object({
  workflowId: Id,
  state: v.optional(v.unknown(), {}),
  author: Author,
  changeDescription: v.optional(v.pipe(v.string(), v.maxLength(2000)), "Create workflow"),
});
export type CreateInput = v.InferOutput<typeof CreateInput>;
export type CreateRequest = v.InferInput<typeof CreateInput>;

/** One write: a whole `state` or a JSON `patch` against `baseVersion` (or the head). */
export const CommitInput = v.pipe(
  v.object({
    workflowId: Id,
    state: v.optional(v.unknown()),
    patch: v.optional(v.unknown()),
    author: Author,
    changeDescription: Description,
    baseVersion: v.optional(VersionNumber),
    branch: v.optional(BranchName, "main"),
    expectedChecksum: v.optional(Checksum),
    ifMatch: v.optional(Checksum),
    idempotencyKey: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(200))),
  }),
  v.forward(
    v.check(
      (input) => (input.state === undefined) !== (input.patch === undefined),
      "send exactly one of state and patch",
    ),
    ["state"],
  ),
);
export type CommitInput = v.InferOutput<typeof CommitInput>;
export type CommitRequest = v.InferInput<typeof CommitInput>;

/** Reads a version (head of `branch` by default), optionally just the subtree at `path`. */
export const GetStateInput = v.object({
  workflowId: Id,
  version: v.optional(VersionNumber),
  branch: v.optional(BranchName),
  path: v.optional(v.string()),
});
export type GetStateInput = v.InferOutput<typeof GetStateInput>;
export type GetStateRequest = v.InferInput<typeof GetStateInput>;

/** {@link GetStateInput}, read as text, and conditional like HTTP's `If-None-Match`. */
export const GetStateTextInput = v.object({
  ...GetStateInput.entries,
  /**
   * Checksums of versions the caller already holds (`*`: any version). When the version read is
   * among them, the answer carries no text (`notModified`).
   */
  ifNoneMatch: v.optional(HeldChecksums),
});
export type GetStateTextInput = v.InferOutput<typeof GetStateTextInput>;
export type GetStateTextRequest = v.InferInput<typeof GetStateTextInput>;

/** A page of history, newest first. */
export const HistoryInput = v.object({
  workflowId: Id,
  branch: v.optional(BranchName),
  limit: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(1000)), 50),
  cursor: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1))),
});
export type HistoryInput = v.InferOutput<typeof HistoryInput>;
export type HistoryRequest = v.InferInput<typeof HistoryInput>;

/** The JSON Patch between two versions. */
export const DiffInput = v.object({ workflowId: Id, from: VersionNumber, to: VersionNumber });
export type DiffInput = v.InferOutput<typeof DiffInput>;
export type DiffRequest = v.InferInput<typeof DiffInput>;

export const CreateSnapshotInput = v.object({
  workflowId: Id,
  description: Description,
  author: Author,
  version: v.optional(VersionNumber),
  branch: v.optional(BranchName),
});
export type CreateSnapshotInput = v.InferOutput<typeof CreateSnapshotInput>;
export type CreateSnapshotRequest = v.InferInput<typeof CreateSnapshotInput>;

export const RestoreInput = v.object({
  workflowId: Id,
  snapshotId: Id,
  author: Author,
  branch: v.optional(BranchName),
});
export type RestoreInput = v.InferOutput<typeof RestoreInput>;
export type RestoreRequest = v.InferInput<typeof RestoreInput>;

export const CreateBranchInput = v.object({
  workflowId: Id,
  name: BranchName,
  fromVersion: v.optional(VersionNumber),
  author: Author,
});
export type CreateBranchInput = v.InferOutput<typeof CreateBranchInput>;
export type CreateBranchRequest = v.InferInput<typeof CreateBranchInput>;

export const MergeBranchInput = v.object({
  workflowId: Id,
  source: BranchName,
  into: v.optional(BranchName, "main"),
  strategy: v.optional(v.pipe(v.string(), v.minLength(1))),
  author: Author,
  changeDescription: v.optional(v.pipe(v.string(), v.maxLength(2000))),
});
export type MergeBranchInput = v.InferOutput<typeof MergeBranchInput>;
export type MergeBranchRequest = v.InferInput<typeof MergeBranchInput>;

export const ListConflictsInput = v.object({
  workflowId: Id,
  status: v.optional(QueuedConflictStatus),
});
export type ListConflictsInput = v.InferOutput<typeof ListConflictsInput>;
export type ListConflictsRequest = v.InferInput<typeof ListConflictsInput>;

/** `ours` keeps the head, `theirs` takes the incoming side, or explicit values per path. */
export const Resolution = v.union([
  v.picklist(["ours", "theirs"]),
  v.object({ values: v.record(v.string(), v.unknown()) }),
]);
export const ResolveConflictInput = v.object({
  workflowId: Id,
  conflictId: Id,
  resolution: Resolution,
  author: Author,
});
export type ResolveConflictInput = v.InferOutput<typeof ResolveConflictInput>;
export type ResolveConflictRequest = v.InferInput<typeof ResolveConflictInput>;

export const ChangesSinceInput = v.object({
  workflowId: Id,
  version: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  limit: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(1000)), 100),
});
export type ChangesSinceInput = v.InferOutput<typeof ChangesSinceInput>;
export type ChangesSinceRequest = v.InferInput<typeof ChangesSinceInput>;

/** Changes settings; `author` is who the audit trail names (the gateway sends the caller). */
export const ConfigureInput = v.object({
  workflowId: Id,
  settings: SettingsPatch,
  author: v.optional(Author, "system"),
});
export type ConfigureInput = v.InferOutput<typeof ConfigureInput>;
export type ConfigureRequest = v.InferInput<typeof ConfigureInput>;

export const AuditInput = v.object({
  workflowId: Id,
  limit: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(1000)), 100),
  cursor: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1))),
});
export type AuditInput = v.InferOutput<typeof AuditInput>;
export type AuditRequest = v.InferInput<typeof AuditInput>;

import { attempt, type Result, validateOrThrow, type WorkflowSettings } from "@chorus/core";
import type * as v from "valibot";
import type { AuditLog } from "./audit-log.ts";
import { requireBenchFloors } from "./bench-floors.ts";
import { createBranch, mergeBranch } from "./branch-ops.ts";
import type { BranchTable } from "./branch-table.ts";
import { commit } from "./commit.ts";
import type { ConflictTable } from "./conflict-table.ts";
import { createWorkflow } from "./create.ts";
import {
  AuditInput,
  type AuditRequest,
  ChangesSinceInput,
  type ChangesSinceRequest,
  CommitInput,
  type CommitRequest,
  ConfigureInput,
  type ConfigureRequest,
  CreateBranchInput,
  type CreateBranchRequest,
  CreateInput,
  type CreateRequest,
  CreateSnapshotInput,
  type CreateSnapshotRequest,
  DiffInput,
  type DiffRequest,
  GetStateInput,
  type GetStateRequest,
  GetStateTextInput,
  type GetStateTextRequest,
  HistoryInput,
  type HistoryRequest,
  ListConflictsInput,
  type ListConflictsRequest,
  MergeBranchInput,
  type MergeBranchRequest,
  ResolveConflictInput,
  type ResolveConflictRequest,
  RestoreInput,
  type RestoreRequest,
  WorkflowRef,
} from "./inputs.ts";
import { verifyIntegrity } from "./integrity.ts";
import { collectMetrics, type WorkflowMetrics } from "./metrics.ts";
import { changesSince, diffVersions, getState, getStateText, history } from "./reads.ts";
import { resolveConflict } from "./resolve-conflict.ts";
import { approveReview, commentReview, rejectReview } from "./review-decide.ts";
import * as reviewInput from "./review-inputs.ts";
import { openReview } from "./review-open.ts";
import { getReview, listReviews } from "./review-view.ts";
import { applySettings } from "./settings.ts";
import { settingsChange } from "./settings-audit.ts";
import { createSnapshot, restore } from "./snapshot-ops.ts";
import type { SnapshotTable } from "./snapshot-table.ts";
import * as taskInput from "./task-inputs.ts";
import * as board from "./task-ops.ts";
import { WorkflowObject } from "./workflow-object.ts";

/**
 * One workflow's versioned state: history, branches, snapshots and conflicts in SQLite.
 * Every method takes one object, validates it, and returns a {@link Result} (Workers RPC
 * would drop a thrown error's code and path). Writes run one at a time.
 */
export class StateManager extends WorkflowObject {
  /**
   * Answers a constant without touching storage: the floor that benchmarks compare against.
   * A benchmark instrument: `NOT_FOUND` unless this worker's `BENCH_FLOORS` is `"1"`.
   */
  noop(_input: WorkflowRef): Promise<Result<{ ok: true }>> {
    return attempt(() => {
      requireBenchFloors(this.env, "noop");
      return { ok: true as const };
    });
  }

  /**
   * {@link noop} plus one durable write of one small row of its own, outside the write queue:
   * no commit can cost less than its own durable write, so benchmarks compare commits with this.
   * Nothing is versioned, counted or audited. `NOT_FOUND` unless `BENCH_FLOORS` is `"1"`.
   */
  noopWrite(input: WorkflowRef): Promise<Result<{ ok: true }>> {
    return attempt(() => {
      requireBenchFloors(this.env, "noopWrite");
      this.#parse(WorkflowRef, input);
      this.meta.set("noopWrite", String(this.now()));
      return { ok: true as const };
    });
  }

  /** Creates the workflow: version 1 on `main`. */
  create(input: CreateRequest): Promise<Result<Awaited<ReturnType<typeof createWorkflow>>>> {
    return this.#write(async () => {
      const parsed = validateOrThrow(CreateInput, input);
      try {
        return await createWorkflow(this, parsed, () => {
          this.recordWorkflowId(parsed.workflowId);
        });
      } catch (error) {
        this.reloadWorkflowId();
        throw error;
      }
    });
  }

  /** Commits a state or a patch; see `commit.ts`. */
  commit(input: CommitRequest): Promise<Result<Awaited<ReturnType<typeof commit>>>> {
    return this.#write(() => commit(this, this.#parse(CommitInput, input)));
  }

  /** Reads the head or any version, whole or at a pointer. */
  getState(input: GetStateRequest): Promise<Result<Awaited<ReturnType<typeof getState>>>> {
    return this.#read(() => getState(this, this.#parse(GetStateInput, input)));
  }

  /** {@link getState} with the state as canonical JSON text, for callers that pass it on; conditional on `ifNoneMatch`. */
  getStateText(
    input: GetStateTextRequest,
  ): Promise<Result<Awaited<ReturnType<typeof getStateText>>>> {
    return this.#read(() => getStateText(this, this.#parse(GetStateTextInput, input)));
  }

  /** Version metadata, newest first, paginated. */
  history(input: HistoryRequest): Promise<Result<ReturnType<typeof history>>> {
    return attempt(() => history(this, this.#parse(HistoryInput, input)));
  }

  /** The JSON Patch between two versions. */
  diff(input: DiffRequest): Promise<Result<Awaited<ReturnType<typeof diffVersions>>>> {
    return this.#read(() => diffVersions(this, this.#parse(DiffInput, input)));
  }

  /** The ordered change feed after a version. */
  changesSince(
    input: ChangesSinceRequest,
  ): Promise<Result<Awaited<ReturnType<typeof changesSince>>>> {
    return attempt(() => changesSince(this, this.#parse(ChangesSinceInput, input)));
  }

  /** Marks a version as a snapshot. */
  createSnapshot(input: CreateSnapshotRequest): Promise<Result<ReturnType<typeof createSnapshot>>> {
    return this.#write(async () => createSnapshot(this, this.#parse(CreateSnapshotInput, input)));
  }

  /** Every snapshot, newest first. */
  listSnapshots(input: WorkflowRef): Promise<Result<ReturnType<SnapshotTable["list"]>>> {
    return attempt(() => {
      this.#parse(WorkflowRef, input);
      return this.snapshots.list(this.workflowId());
    });
  }

  /** Restores a snapshot as a new version. */
  restore(input: RestoreRequest): Promise<Result<Awaited<ReturnType<typeof restore>>>> {
    return this.#write(() => restore(this, this.#parse(RestoreInput, input)));
  }

  /** Starts a branch. */
  createBranch(input: CreateBranchRequest): Promise<Result<ReturnType<typeof createBranch>>> {
    return this.#write(async () => createBranch(this, this.#parse(CreateBranchInput, input)));
  }

  /** Every branch with its head. */
  listBranches(input: WorkflowRef): Promise<Result<ReturnType<BranchTable["list"]>>> {
    return attempt(() => {
      this.#parse(WorkflowRef, input);
      return this.branches.list();
    });
  }

  /** Merges one branch into another. */
  mergeBranch(input: MergeBranchRequest): Promise<Result<Awaited<ReturnType<typeof mergeBranch>>>> {
    return this.#write(() => mergeBranch(this, this.#parse(MergeBranchInput, input)));
  }

  /** Queued conflicts, oldest first. */
  listConflicts(input: ListConflictsRequest): Promise<Result<ReturnType<ConflictTable["list"]>>> {
    return attempt(() => this.conflicts.list(this.#parse(ListConflictsInput, input).status));
  }

  /** Resolves a queued conflict with a merge version. */
  resolveConflict(
    input: ResolveConflictRequest,
  ): Promise<Result<Awaited<ReturnType<typeof resolveConflict>>>> {
    return this.#write(() => resolveConflict(this, this.#parse(ResolveConflictInput, input)));
  }

  /** Recomputes every stored version's checksum and checks the version graph. */
  verifyIntegrity(input: {
    workflowId: string;
  }): Promise<Result<Awaited<ReturnType<typeof verifyIntegrity>>>> {
    return this.#write(async () => {
      this.#parse(WorkflowRef, input);
      return verifyIntegrity(this);
    });
  }

  /** The audit trail, newest first. */
  auditLog(input: AuditRequest): Promise<Result<ReturnType<AuditLog["page"]>>> {
    return attempt(() => {
      const parsed = this.#parse(AuditInput, input);
      return this.audit.page(parsed.limit, parsed.cursor);
    });
  }

  /** Changes the workflow's settings (strategies, policies, limits). */
  configure(input: ConfigureRequest): Promise<Result<WorkflowSettings>> {
    return this.#write(async () => {
      const parsed = this.#parse(ConfigureInput, input);
      const before = this.settings();
      const next = applySettings(before, parsed.settings);
      const change = settingsChange(before, next);
      this.transaction(() => {
        this.saveSettings(next);
        if (change === undefined) return;
        const entry = { actor: parsed.author, action: "settings.updated", version: null };
        this.audit.append({ ...entry, at: this.now(), detail: change });
      });
      return next;
    });
  }

  /** The workflow's settings. */
  getSettings(input: WorkflowRef): Promise<Result<WorkflowSettings>> {
    return attempt(() => {
      this.#parse(WorkflowRef, input);
      return this.settings();
    });
  }

  /** Counters and latencies of this workflow. */
  metrics(input: WorkflowRef): Promise<Result<WorkflowMetrics>> {
    return attempt(() => {
      this.#parse(WorkflowRef, input);
      return collectMetrics(this, this.calls.latencies());
    });
  }

  // Reviews (review-*.ts): a review gate's protected changes wait for approvals, then merge.

  /** Opens a review of an existing branch against a protected one. */
  openReview(input: reviewInput.OpenReviewRequest) {
    return this.#write(() => openReview(this, this.#parse(reviewInput.OpenReviewInput, input)));
  }

  /** The workflow's reviews, newest first. */
  listReviews(input: reviewInput.ListReviewsRequest) {
    return this.#read(async () =>
      listReviews(this, this.#parse(reviewInput.ListReviewsInput, input)),
    );
  }

  /** One review with its diff. */
  getReview(input: reviewInput.ReviewRefRequest) {
    return this.#read(() => getReview(this, this.#parse(reviewInput.ReviewRefInput, input)));
  }

  /** Approves a review; enough approvals merge it. */
  approveReview(input: reviewInput.DecideReviewRequest) {
    return this.#write(() =>
      approveReview(this, this.#parse(reviewInput.DecideReviewInput, input)),
    );
  }

  /** Rejects a review: it closes. */
  rejectReview(input: reviewInput.DecideReviewRequest) {
    return this.#write(async () =>
      rejectReview(this, this.#parse(reviewInput.DecideReviewInput, input)),
    );
  }

  /** Comments on a review. */
  commentReview(input: reviewInput.CommentReviewRequest) {
    return this.#write(async () =>
      commentReview(this, this.#parse(reviewInput.CommentReviewInput, input)),
    );
  }

  // The task board (task-ops.ts): each method one commit on main, answered once committed.

  /** Creates a task; the same id and body again answers the first creation, `replayed`. */
  createTask(input: taskInput.CreateTaskRequest) {
    return this.#write(() => board.createTask(this, this.#parse(taskInput.CreateTaskInput, input)));
  }

  /** The workflow's tasks, optionally of one status or requiring one capability. */
  listTasks(input: taskInput.ListTasksRequest) {
    return this.#read(() => board.listTasks(this, this.#parse(taskInput.ListTasksInput, input)));
  }

  /** One task. */
  getTask(input: taskInput.TaskRefRequest) {
    return this.#read(() => board.getTask(this, this.#parse(taskInput.TaskRef, input)));
  }

  /** Claims up to `max` ready tasks for an agent (whose capacity the coordinator checked). */
  claimTasks(input: taskInput.ClaimTasksRequest) {
    return this.#write(() => board.claimTasks(this, this.#parse(taskInput.ClaimTasksInput, input)));
  }

  /** Extends a lease. */
  heartbeatLease(input: taskInput.HeartbeatLeaseRequest) {
    return this.#write(() =>
      board.heartbeatLease(this, this.#parse(taskInput.HeartbeatLeaseInput, input)),
    );
  }

  /** Completes a task under its lease, exactly once. */
  completeTask(input: taskInput.CompleteTaskRequest) {
    return this.#write(() =>
      board.completeTask(this, this.#parse(taskInput.CompleteTaskInput, input)),
    );
  }

  /** Fails a task's attempt under its lease. */
  failTask(input: taskInput.FailTaskRequest) {
    return this.#write(() => board.failTask(this, this.#parse(taskInput.FailTaskInput, input)));
  }

  /** Gives a dead task a fresh budget of attempts. */
  retryTask(input: taskInput.TaskActionRequest) {
    return this.#write(() => board.retryTask(this, this.#parse(taskInput.TaskActionInput, input)));
  }

  /** Cancels a task. */
  cancelTask(input: taskInput.TaskActionRequest) {
    return this.#write(() => board.cancelTask(this, this.#parse(taskInput.TaskActionInput, input)));
  }

  /** Expires every lease an agent holds here (it went offline). */
  releaseAgentLeases(input: taskInput.ReleaseAgentLeasesRequest) {
    return this.#write(() =>
      board.releaseAgentLeases(this, this.#parse(taskInput.ReleaseAgentLeasesInput, input)),
    );
  }

  #parse<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
    return this.parse(schema, input);
  }

  #write<T>(fn: () => Promise<T>): Promise<Result<T>> {
    return this.calls.write(fn);
  }

  #read<T>(fn: () => Promise<T>): Promise<Result<T>> {
    return this.calls.read(fn);
  }
}

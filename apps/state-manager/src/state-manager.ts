import { DurableObject } from "cloudflare:workers";
import {
  attempt,
  benchFloorsEnabled,
  ChorusError,
  type Result,
  validateOrThrow,
  WorkflowSettings,
} from "@chorus/core";
import * as v from "valibot";
import { recordVersion } from "./analytics.ts";
import { Archiver } from "./archiver.ts";
import { AuditLog } from "./audit-log.ts";
import { BlobStore } from "./blob-store.ts";
import { createBranch, mergeBranch } from "./branch-ops.ts";
import { BranchTable } from "./branch-table.ts";
import { commit } from "./commit.ts";
import { ConflictTable } from "./conflict-table.ts";
import { Counters } from "./counters.ts";
import { createWorkflow } from "./create.ts";
import { IdempotencyKeys } from "./idempotency.ts";
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
import { LatencyWindow } from "./latency.ts";
import { collectMetrics, type WorkflowMetrics } from "./metrics.ts";
import { changesSince, diffVersions, getState, getStateText, history } from "./reads.ts";
import { resolveConflict } from "./resolve-conflict.ts";
import { SerialQueue } from "./serial-queue.ts";
import { applySettings } from "./settings.ts";
import { createSnapshot, restore } from "./snapshot-ops.ts";
import { SnapshotTable } from "./snapshot-table.ts";
import { migrate } from "./sql/schema.ts";
import * as taskInput from "./task-inputs.ts";
import * as board from "./task-ops.ts";
import { Timers } from "./task-timers.ts";
import { type VersionRow, VersionStore } from "./version-store.ts";
import type { WorkflowContext } from "./workflow-context.ts";

/** How soon after a write the archive policy first runs. */
const FIRST_MAINTENANCE_DELAY_MS = 60_000;
/** How often it runs again while the workflow lives. */
const MAINTENANCE_INTERVAL_MS = 6 * 60 * 60 * 1000;
/** How soon task timers whose run failed are tried again. */
const TIMER_RETRY_MS = 5000;

/**
 * One workflow's versioned state: history, branches, snapshots and conflicts in SQLite.
 * Every method takes one object, validates it, and returns a {@link Result} (Workers RPC
 * would drop a thrown error's code and path). Writes run one at a time.
 */
export class StateManager extends DurableObject<StateManagerEnv> implements WorkflowContext {
  readonly storage: DurableObjectStorage;
  readonly blobs: BlobStore;
  readonly versions: VersionStore;
  readonly branches: BranchTable;
  readonly snapshots: SnapshotTable;
  readonly conflicts: ConflictTable;
  readonly counters: Counters;
  readonly audit: AuditLog;
  readonly idempotency: IdempotencyKeys;
  readonly archiver: Archiver;
  readonly timers: Timers;
  readonly #writes = new SerialQueue();
  readonly #reads = new LatencyWindow();
  readonly #persists = new LatencyWindow();
  #workflowId: string | undefined;
  #alarmAt: number | undefined;
  #writeStarted = 0;
  // The defaults until the constructor's load reads the stored settings.
  #settings: WorkflowSettings = v.parse(WorkflowSettings, {});

  constructor(ctx: DurableObjectState, env: StateManagerEnv) {
    super(ctx, env);
    this.storage = ctx.storage;
    const sql = ctx.storage.sql;
    this.blobs = new BlobStore(sql);
    this.versions = new VersionStore(sql, this.blobs);
    this.branches = new BranchTable(sql);
    this.snapshots = new SnapshotTable(sql);
    this.conflicts = new ConflictTable(sql, this.blobs);
    this.counters = new Counters(sql);
    this.audit = new AuditLog(sql);
    this.idempotency = new IdempotencyKeys(sql);
    this.archiver = new Archiver(this, sql, env.ARCHIVE);
    this.timers = new Timers(sql);
    this.versions.setArchiveReader((version) => this.archiver.read(version));
    // No call or alarm reaches the object before its schema is current and its state read.
    void ctx.blockConcurrencyWhile(async () => this.#load());
  }

  #load(): void {
    migrate(this.storage.sql);
    this.counters.reload();
    this.#workflowId = this.#meta("workflowId");
    const stored = this.#meta("settings");
    this.#settings = v.parse(WorkflowSettings, stored === undefined ? {} : JSON.parse(stored));
  }

  /** @returns the workflow id; `NOT_FOUND` until the workflow is created */
  workflowId(): string {
    if (this.#workflowId === undefined) {
      throw new ChorusError("NOT_FOUND", "workflow does not exist", { path: "/workflowId" });
    }
    return this.#workflowId;
  }

  /** @returns the settings in force */
  settings(): WorkflowSettings {
    return this.#settings;
  }

  /** @returns the current time in milliseconds */
  now(): number {
    return Date.now();
  }

  /** One transaction; see {@link WorkflowContext.transaction}. */
  transaction<T>(fn: () => T): T {
    try {
      return this.storage.transactionSync(fn);
    } catch (error) {
      this.branches.reload();
      this.counters.reload();
      this.versions.forget();
      throw error;
    }
  }

  /** Sends the version to Analytics Engine when a `METRICS` dataset is bound. */
  versionWritten(row: VersionRow): void {
    recordVersion(
      this.env.METRICS,
      this.#workflowId ?? "",
      row,
      performance.now() - this.#writeStarted,
    );
  }

  /**
   * Answers a constant without touching storage: the floor that benchmarks compare against.
   * A benchmark instrument: `NOT_FOUND` unless this worker's `BENCH_FLOORS` is `"1"`.
   */
  noop(_input: WorkflowRef): Promise<Result<{ ok: true }>> {
    return attempt(() => {
      this.#requireBenchFloors("noop");
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
      this.#requireBenchFloors("noopWrite");
      this.#parse(WorkflowRef, input);
      this.#setMeta("noopWrite", String(this.now()));
      return { ok: true as const };
    });
  }

  /** Creates the workflow: version 1 on `main`. */
  create(input: CreateRequest): Promise<Result<Awaited<ReturnType<typeof createWorkflow>>>> {
    return this.#write(async () => {
      const parsed = validateOrThrow(CreateInput, input);
      try {
        return await createWorkflow(this, parsed, () => {
          this.#setMeta("workflowId", parsed.workflowId);
          this.#workflowId = parsed.workflowId;
        });
      } catch (error) {
        this.#workflowId = this.#meta("workflowId");
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
      const next = applySettings(this.#settings, parsed.settings);
      this.#setMeta("settings", JSON.stringify(next));
      this.#settings = next;
      return next;
    });
  }

  /** The workflow's settings. */
  getSettings(input: WorkflowRef): Promise<Result<WorkflowSettings>> {
    return attempt(() => {
      this.#parse(WorkflowRef, input);
      return this.#settings;
    });
  }

  /** Counters and latencies of this workflow. */
  metrics(input: WorkflowRef): Promise<Result<WorkflowMetrics>> {
    return attempt(() => {
      this.#parse(WorkflowRef, input);
      return collectMetrics(this, { retrieval: this.#reads, persistence: this.#persists });
    });
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

  /**
   * Runs what is due: task timers (lease and backoff ends), then maintenance (archive policy,
   * expired idempotency keys) when it is due or the alarm had nothing else to do. Catches its
   * own failures and re-arms at the earliest timer, so nothing rests on the platform retrying
   * a failed alarm.
   */
  override async alarm(): Promise<void> {
    this.#alarmAt = undefined;
    const now = this.now();
    let tasksDue = false;
    try {
      tasksDue = this.timers.due("task", now, 1).length > 0;
      if (tasksDue) await this.#writes.run(() => board.applyDueTimers(this, now));
    } catch (error) {
      console.error("task timers failed; retrying soon", error);
      this.timers.postpone("task", now, now + TIMER_RETRY_MS);
    }
    const maintenanceAt = this.timers.get("maintenance", "");
    if (!tasksDue || maintenanceAt === undefined || maintenanceAt <= now) {
      this.timers.clear("maintenance", "");
      try {
        await this.#maintain();
      } catch (error) {
        // A failed run (R2 unreachable) is retried at the next interval, not in a tight loop.
        console.error("maintenance failed", error);
      }
    }
    if (this.#workflowId !== undefined) await this.#scheduleMaintenance(MAINTENANCE_INTERVAL_MS);
    await this.#arm();
  }

  async #maintain(): Promise<void> {
    const exists = await this.#writes.run(async () => {
      if (this.#workflowId === undefined) return false;
      this.idempotency.prune(this.now());
      return true;
    });
    if (exists) await this.archiver.run((step) => this.#writes.run(step));
  }

  async #scheduleMaintenance(delay: number): Promise<void> {
    if (this.timers.get("maintenance", "") === undefined) {
      this.timers.set("maintenance", "", this.now() + delay);
    }
    await this.#arm();
  }

  // Arms the one alarm at the earliest timer; a no-op when it is armed there already.
  async #arm(): Promise<void> {
    const earliest = this.timers.earliest();
    if (earliest === undefined || earliest === this.#alarmAt) return;
    this.#alarmAt = earliest;
    await this.storage.setAlarm(earliest);
  }

  #parse<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
    const parsed = validateOrThrow(schema, input);
    this.workflowId();
    return parsed;
  }

  #write<T>(fn: () => Promise<T>): Promise<Result<T>> {
    return attempt(() =>
      this.#writes.run(async () => {
        const started = performance.now();
        this.#writeStarted = started;
        try {
          const result = await fn();
          await this.#scheduleMaintenance(FIRST_MAINTENANCE_DELAY_MS);
          return result;
        } finally {
          this.#persists.record(performance.now() - started);
        }
      }),
    );
  }

  #read<T>(fn: () => Promise<T>): Promise<Result<T>> {
    return attempt(async () => {
      const started = performance.now();
      try {
        return await fn();
      } finally {
        this.#reads.record(performance.now() - started);
      }
    });
  }

  #meta(key: string): string | undefined {
    const raw = this.storage.sql.exec("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
    return raw === undefined ? undefined : String(raw.value);
  }

  #setMeta(key: string, value: string): void {
    this.storage.sql.exec(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      key,
      value,
    );
  }

  // Refused before the input is read: where the floors are off, these methods do not exist.
  #requireBenchFloors(method: "noop" | "noopWrite"): void {
    if (benchFloorsEnabled(this.env)) return;
    throw new ChorusError(
      "NOT_FOUND",
      `${method} is a benchmark floor, served only where the state manager's BENCH_FLOORS is "1"`,
    );
  }
}

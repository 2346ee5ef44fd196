import { DurableObject } from "cloudflare:workers";
import {
  attempt,
  type ChangesResumed,
  ChorusError,
  type Result,
  STREAM_PING,
  STREAM_PONG,
  StreamSubscription,
  validateOrThrow,
  WorkflowSettings,
} from "@chorus/core";
import * as v from "valibot";
import { AlarmRunner } from "./alarm-runner.ts";
import { recordVersion } from "./analytics.ts";
import { Archiver } from "./archiver.ts";
import { AuditLog } from "./audit-log.ts";
import { BlobStore } from "./blob-store.ts";
import { BranchTable } from "./branch-table.ts";
import { CallRunner } from "./call-runner.ts";
import { deliveryConfig } from "./change-consumers.ts";
import { ChangeDeliverer } from "./change-deliverer.ts";
import { ConflictTable } from "./conflict-table.ts";
import { Counters } from "./counters.ts";
import { IdempotencyKeys } from "./idempotency.ts";
import { WorkflowRef } from "./inputs.ts";
import { MetaTable } from "./meta-table.ts";
import { NotificationOutbox } from "./notification-outbox.ts";
import { configuredNotifiers } from "./notifier.ts";
import { Outbox } from "./outbox.ts";
import { ReviewTable } from "./review-table.ts";
import { SnapshotTable } from "./snapshot-table.ts";
import { migrate } from "./sql/schema.ts";
import { subscriptionOf } from "./stream-request.ts";
import { Subscribers } from "./subscribers.ts";
import { Timers } from "./task-timers.ts";
import { type VersionRow, VersionStore } from "./version-store.ts";
import type { WorkflowContext } from "./workflow-context.ts";

/**
 * What the StateManager Durable Object is made of besides its RPC methods: one workflow's tables,
 * settings and transactions (the {@link WorkflowContext} every operation gets), its alarm, and
 * its change streams (WebSocket upgrade and events).
 */
export abstract class WorkflowObject
  extends DurableObject<StateManagerEnv>
  implements WorkflowContext
{
  readonly storage: DurableObjectStorage;
  readonly blobs: BlobStore;
  readonly versions: VersionStore;
  readonly branches: BranchTable;
  readonly snapshots: SnapshotTable;
  readonly conflicts: ConflictTable;
  readonly counters: Counters;
  readonly audit: AuditLog;
  readonly idempotency: IdempotencyKeys;
  readonly reviews: ReviewTable;
  readonly notifications: NotificationOutbox;
  readonly archiver: Archiver;
  readonly timers: Timers;
  readonly outbox: Outbox;
  /** The `meta` table: the workflow's id and settings, and other single values. */
  protected readonly meta: MetaTable;
  /** Runs the RPC calls: writes one at a time through the write queue, reads at once, timed. */
  protected readonly calls: CallRunner;
  readonly #delivery: ChangeDeliverer;
  readonly #alarms: AlarmRunner;
  readonly #subscribers: Subscribers;
  #workflowId: string | undefined;
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
    this.reviews = new ReviewTable(sql);
    this.meta = new MetaTable(sql);
    this.archiver = new Archiver(this, sql, env.ARCHIVE);
    this.timers = new Timers(sql);
    const delivery = deliveryConfig(env);
    this.outbox = new Outbox(sql, [...delivery.consumers.keys()]);
    this.notifications = new NotificationOutbox(sql, this.timers, configuredNotifiers(env), {
      firstRetryMs: delivery.firstRetryMs,
      maxRetryMs: delivery.maxRetryMs,
    });
    this.calls = new CallRunner(() => this.#alarms.afterWrite());
    this.#delivery = new ChangeDeliverer(this, this.outbox, this.timers, delivery, () =>
      this.#alarms.arm(),
    );
    this.#alarms = new AlarmRunner({
      ctx: this,
      delivery: this.#delivery,
      exclusive: (step) => this.calls.exclusive(step),
      exists: () => this.#workflowId !== undefined,
    });
    this.versions.setArchiveReader((version) => this.archiver.read(version));
    this.#subscribers = new Subscribers(ctx, this);
    // Subscribers' keep-alives are answered by the runtime, without waking a hibernated object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(STREAM_PING, STREAM_PONG));
    // No call or alarm reaches the object before its schema is current and its state read.
    void ctx.blockConcurrencyWhile(async () => this.#load());
  }

  #load(): void {
    migrate(this.storage.sql);
    this.counters.reload();
    this.#workflowId = this.meta.get("workflowId");
    const stored = this.meta.get("settings");
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

  /**
   * Sends the version to Analytics Engine when a `METRICS` dataset is bound, to subscribers, and
   * starts its delivery to the consumer workers.
   */
  versionWritten(row: VersionRow): void {
    recordVersion(this.env.METRICS, this.#workflowId ?? "", row, this.calls.writeElapsedMs());
    this.#subscribers.published(row.version);
    this.#delivery.wake();
  }

  /**
   * Opens a change stream: a WebSocket upgrade from the relay (the gateway, through
   * `StateService.fetch`) with the subscription as JSON in the `x-chorus-subscription` header.
   * @returns `101` with the socket, or a failed {@link Result} as JSON with status 400
   */
  override async fetch(request: Request): Promise<Response> {
    const opened = await attempt(() =>
      this.#subscribers.open(this.parse(StreamSubscription, subscriptionOf(request))),
    );
    return opened.ok ? opened.value : Response.json(opened, { status: 400 });
  }

  /** A relay's message on a change stream (asking for the next replay batch). */
  override webSocketMessage(socket: WebSocket, message: string | ArrayBuffer): void {
    this.#subscribers.message(socket, message);
  }

  /** A relay closed its change stream: close this end too. */
  override webSocketClose(socket: WebSocket, code: number, reason: string): void {
    try {
      // 1005 and 1006 only report what happened; they cannot be sent (RFC 6455 §7.4.1).
      socket.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch {
      // Already closed.
    }
  }

  /**
   * Resumes change delivery to the consumers that paused for this workflow (core's `ChangeAck`):
   * an agent directory calls it when it spawns its first agent.
   * @returns the newest version: every later one is delivered to them
   */
  resumeChanges(input: WorkflowRef): Promise<Result<ChangesResumed>> {
    return attempt(() => {
      this.parse(WorkflowRef, input);
      return { after: this.#delivery.resume() };
    });
  }

  /** Runs what is due; see {@link AlarmRunner.run}. */
  override alarm(): Promise<void> {
    return this.#alarms.run();
  }

  /** @returns the input validated, once the workflow exists (`NOT_FOUND` before) */
  protected parse<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
    const parsed = validateOrThrow(schema, input);
    this.workflowId();
    return parsed;
  }

  /** Stores the workflow's id; called inside the creating version's transaction. */
  protected recordWorkflowId(workflowId: string): void {
    this.meta.set("workflowId", workflowId);
    this.#workflowId = workflowId;
  }

  /** Reads the workflow's id back from storage: after a creation that rolled back. */
  protected reloadWorkflowId(): void {
    this.#workflowId = this.meta.get("workflowId");
  }

  /** Stores and applies new settings. */
  protected saveSettings(next: WorkflowSettings): void {
    this.meta.set("settings", JSON.stringify(next));
    this.#settings = next;
  }
}

import { DurableObject } from "cloudflare:workers";
import {
  attempt,
  type ChangeAck,
  ChangeDelivery,
  ChorusError,
  type CommitResult,
  type JsonValue,
  ok,
  planChanges,
  type Result,
  retryDelay,
  type SpawnedAgent,
  type StateEvent,
  type Task,
  validateOrThrow,
} from "@chorus/core";
import { applyMigrations } from "@chorus/do-sql";
import { agentLog, type LogLevel } from "./agent-log.ts";
import { heartbeatMs, registration } from "./agent-registration.ts";
import { type AgentRow, AgentStore } from "./agent-store.ts";
import { type TaskRunner, workOnTasks } from "./agent-tasks.ts";
import { type CoordinatorCalls, coordinatorOf } from "./coordinator-calls.ts";
import { StartInput } from "./inputs.ts";
import { AGENT_MIGRATIONS } from "./sql/agent-schema.ts";

/** What a subclass commits: a JSON Patch on the workflow's main branch, merged from `baseVersion`. */
export interface AgentCommit {
  patch: unknown[];
  /** the version the patch was made against; concurrent commits since merge three-way */
  baseVersion?: number;
  description: string;
  /** the same key again replays the first commit's result instead of committing twice */
  idempotencyKey?: string;
}

/**
 * The base of every built-in agent: one Durable Object per workflow and type. It registers with
 * the coordinator (capabilities, limited to its workflow), heartbeats from its alarm, takes its
 * workflow's changes into an inbox (de-duplicated by version) and hands them to
 * {@link BaseAgent.onChange} in order, claims tasks of its capabilities and completes or fails
 * them through their leases, and stops cleanly: it drains, then deregisters. The alarm catches
 * every error and re-arms itself, so a failure waits for the next run instead of stopping the agent.
 *
 * Subclasses override the hooks (`capabilities`, `onChange`, `handleTask`, `onTick`, `nextTick`,
 * `migrations`), each a small method.
 */
export abstract class BaseAgent extends DurableObject<AgentsEnv> {
  readonly #store: AgentStore;
  readonly #coordinator: CoordinatorCalls;
  /** a claimed task is being handled in this instance: a stop waits for it */
  #working = false;

  constructor(ctx: DurableObjectState, env: AgentsEnv) {
    super(ctx, env);
    this.#store = new AgentStore(ctx.storage.sql);
    this.#coordinator = coordinatorOf(env.COORDINATOR);
    void ctx.blockConcurrencyWhile(async () => {
      applyMigrations(ctx.storage.sql, AGENT_MIGRATIONS);
      applyMigrations(ctx.storage.sql, this.migrations(), "agentTypeSchemaVersion");
    });
  }

  /** The subclass's own SQLite steps (append-only), counted apart from the base's. */
  protected migrations(): readonly string[] {
    return [];
  }

  /** The capabilities it registers with; with none it claims no tasks. */
  protected capabilities(_config: AgentRow["config"]): string[] {
    return [];
  }

  /** One committed version of its workflow, in order, at least once (make effects idempotent). */
  protected onChange(_event: StateEvent, _agent: AgentRow): Promise<void> | void {}

  /** A claimed task; its value completes the task, a throw fails the attempt (retried). */
  protected handleTask(task: Task, _agent: AgentRow): Promise<JsonValue | undefined> {
    throw new Error(`this agent takes no tasks, yet claimed ${task.id}`);
  }

  /** How long its task leases last; heartbeats extend them while a task is handled. */
  protected taskLeaseMs(_agent: AgentRow): number {
    return 30_000;
  }

  /** Timed work of its own (retries), run at every alarm after the inbox. */
  protected onTick(_now: number, _agent: AgentRow): Promise<void> | void {}

  /** @returns when its own timed work is next due, if earlier than the next heartbeat */
  protected nextTick(): number | undefined {
    return undefined;
  }

  /** Starts the agent (a new life for a new id; the same id again answers the same agent). */
  async start(input: StartInput): Promise<Result<SpawnedAgent>> {
    return attempt(async () => {
      const parsed = validateOrThrow(StartInput, input);
      const current = this.#store.get();
      if (current?.agentId !== parsed.agentId) {
        const capabilities = this.capabilities(parsed.config);
        this.#store.reset({ ...parsed, capabilities, createdAt: Date.now() });
        this.log("info", "started");
        await this.#register(this.#require());
      }
      await this.#arm(Date.now());
      return this.#store.describe(this.#require());
    });
  }

  /**
   * Takes a delivery of its workflow's changes into the inbox: versions at or below the last
   * taken are dropped as repeats. Answers the version it holds up to, so the sender moves on.
   */
  async receive(input: ChangeDelivery): Promise<Result<ChangeAck>> {
    return attempt(async () => {
      const delivery = validateOrThrow(ChangeDelivery, input);
      const last = delivery.events[delivery.events.length - 1]?.version ?? 0;
      const row = this.#store.get();
      if (row === undefined || row.status === "stopped" || row.workflowId !== delivery.workflowId) {
        return { upTo: last };
      }
      const plan = planChanges(row.appliedVersion, delivery.events);
      this.ctx.storage.transactionSync(() => {
        this.#store.enqueue(plan.apply, plan.upTo);
        this.#store.count("changesReceived", plan.apply.length);
        if (plan.duplicates > 0) this.#store.count("duplicatesDropped", plan.duplicates);
      });
      if (plan.gap !== undefined)
        this.log("warn", "versions missed before this delivery", plan.gap);
      if (plan.apply.length > 0) await this.#arm(Date.now());
      return { upTo: plan.upTo };
    });
  }

  /**
   * Stops the agent: it takes no new task, finishes the one in hand, then deregisters from the
   * coordinator. Answers `draining` while that is still to come (the alarm finishes it).
   */
  async stop(): Promise<Result<SpawnedAgent>> {
    return attempt(async () => {
      const row = this.#require();
      if (row.status !== "stopped") {
        this.#store.setStatus("draining", Date.now());
        this.log("info", "draining");
        if (!this.#working) await this.#finish();
      }
      return this.#store.describe(this.#require());
    });
  }

  /** @returns the agent; `null` before its first start */
  async info(): Promise<Result<SpawnedAgent | null>> {
    const row = this.#store.get();
    return ok(row === undefined ? null : this.#store.describe(row));
  }

  /**
   * The agent's heartbeat and work loop: register if it is not yet, heartbeat, hand the inbox to
   * `onChange`, run `onTick`, claim and handle tasks, or finish a drain. Never throws: an error
   * is logged and counted, and the next run comes after a backoff.
   */
  override async alarm(): Promise<void> {
    const row = this.#store.get();
    if (row === undefined || row.status === "stopped") return;
    const beat = heartbeatMs(this.env);
    // Armed first, so an instance that dies in this run is woken again.
    await this.ctx.storage.setAlarm(Date.now() + beat);
    let next = Date.now() + beat;
    try {
      if (row.status === "draining") await this.#finish();
      else await this.#run();
      this.#store.setFailures(0);
    } catch (error) {
      const failures = row.failures + 1;
      this.#store.setFailures(failures);
      this.#store.count("errors");
      this.log("error", "alarm run failed", { error: String(error), failures });
      next = Date.now() + Math.min(beat, retryDelay(failures));
    }
    const current = this.#store.get();
    if (current === undefined || current.status === "stopped") return;
    const due = this.nextTick();
    if (this.#store.pending() > 0) next = Date.now();
    await this.ctx.storage.setAlarm(due === undefined ? next : Math.min(next, due));
  }

  /** Commits a patch to its workflow's main branch as `agent:<agentId>`, counting it. */
  protected async commit(change: AgentCommit): Promise<Result<CommitResult>> {
    const row = this.#require();
    const result = await this.env.STATE.commit({
      workflowId: row.workflowId,
      patch: change.patch,
      author: this.author(row),
      changeDescription: change.description,
      ...(change.baseVersion === undefined ? {} : { baseVersion: change.baseVersion }),
      ...(change.idempotencyKey === undefined ? {} : { idempotencyKey: change.idempotencyKey }),
    });
    this.#store.count(result.ok ? "commits" : "commitsRefused");
    return result as Result<CommitResult>;
  }

  /** The coordinator's calls (tasks, registration), for a subclass's own use. */
  protected get coordinator(): CoordinatorCalls {
    return this.#coordinator;
  }

  /** @returns the author its commits carry, by which it knows its own changes */
  protected author(row: AgentRow): string {
    return `agent:${row.agentId}`;
  }

  /** Adds to one of its counters (shown as `metrics` on the agent). */
  protected count(name: string, by = 1): void {
    this.#store.count(name, by);
  }

  /** Logs a structured line about this agent. */
  protected log(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
    const row = this.#store.get();
    const source = {
      type: row?.type ?? "unknown",
      agentId: row?.agentId ?? "",
      workflowId: row?.workflowId ?? "",
    };
    agentLog(level, source, message, fields);
  }

  /** Asks for the alarm by `at` at the latest (an earlier one stays). */
  protected async wake(at: number): Promise<void> {
    await this.#arm(at);
  }

  async #run(): Promise<void> {
    let row = this.#require();
    if (!row.registered) await this.#register(row);
    else await this.#heartbeat(row);
    row = this.#require();
    for (
      let event = this.#store.nextEvent();
      event !== undefined;
      event = this.#store.nextEvent()
    ) {
      await this.onChange(event, row);
      this.#store.handled(event.version);
      this.#store.count("changesHandled");
    }
    await this.onTick(Date.now(), row);
    if (row.registered && row.status === "running") await workOnTasks(this.#runner(row));
  }

  #runner(row: AgentRow): TaskRunner {
    return {
      coordinator: this.#coordinator,
      agent: row,
      leaseMs: this.taskLeaseMs(row),
      stillRunning: () => this.#store.get()?.status === "running",
      handle: async (task) => {
        this.#working = true;
        try {
          return await this.handleTask(task, row);
        } finally {
          this.#working = false;
        }
      },
      count: (name) => this.#store.count(name),
      log: (level, message, fields) => this.log(level, message, fields),
    };
  }

  async #register(row: AgentRow): Promise<void> {
    const registered = await this.#coordinator.registerAgent(
      registration(row, heartbeatMs(this.env)),
    );
    if (!registered.ok && registered.error.code !== "ALREADY_EXISTS") {
      this.log("warn", "registration failed; the alarm retries", { error: registered.error });
      return;
    }
    this.ctx.storage.transactionSync(() => {
      this.#store.setRegistered(true);
      if (this.#store.get()?.status === "starting") this.#store.setStatus("running", Date.now());
    });
    this.log("info", "registered");
  }

  async #heartbeat(row: AgentRow): Promise<void> {
    const touched = await this.#coordinator.touchAgent({ agentId: row.agentId });
    if (touched.ok) return;
    if (touched.error.code !== "NOT_FOUND") throw ChorusError.fromData(touched.error);
    // Deregistered behind its back (DELETE /api/agents/{agentId}): it registers again.
    this.#store.setRegistered(false);
    await this.#register(this.#require());
  }

  // Deregisters once no task is in hand; leases the registry still counts keep it draining.
  async #finish(): Promise<void> {
    const row = this.#require();
    if (row.registered) {
      const drained = await this.#coordinator.drainAgent({ agentId: row.agentId });
      const gone = drained.ok ? drained.value.deregistered : drained.error.code === "NOT_FOUND";
      if (!gone) {
        this.log(
          "info",
          "still holds leases; draining",
          drained.ok ? {} : { error: drained.error },
        );
        return;
      }
    }
    this.ctx.storage.transactionSync(() => {
      this.#store.setStatus("stopped", Date.now());
      this.#store.setRegistered(false);
    });
    await this.ctx.storage.deleteAlarm();
    this.log("info", "stopped");
  }

  async #arm(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  #require(): AgentRow {
    const row = this.#store.get();
    if (row === undefined) throw new ChorusError("NOT_FOUND", "this agent was never started");
    return row;
  }
}

import {
  afterLinearFailure,
  attempt,
  ChorusError,
  changedSyncFields,
  dueLinearChanges,
  escapeToken,
  isEmptySyncChange,
  issueFieldsFor,
  LINEAR_WEBHOOK_TOLERANCE_MS,
  LinearAgentConfig,
  type LinearFieldContext,
  LinearIssueData,
  linearIssueId,
  nextLinearDueAt,
  type PendingLinearChange,
  type Result,
  type StateEvent,
  type SyncedIssueFields,
  type SyncedTaskFields,
  supersedeLinearChanges,
  type TaskFieldChange,
  taskFieldChanges,
  taskFieldsFor,
  validateOrThrow,
} from "@chorus/core";
import type { AgentRow } from "./agent-store.ts";
import { BaseAgent } from "./base-agent.ts";
import { type LinearApi, linearApi, linearFailure } from "./linear-api.ts";
import { rememberIssue } from "./linear-issue-index.ts";
import { type LinearLastError, LinearStore } from "./linear-store.ts";
import { LinearWebhookInput } from "./linear-webhook-input.ts";
import { LINEAR_MIGRATIONS } from "./sql/linear-schema.ts";

/** At most this many calls to Linear per alarm run; the rest wait for the next run. */
const SENDS_PER_RUN = 50;

/** What the agent shows of its sync (on `GET …/agents/{agentId}`, as `detail`). */
export type LinearSyncDetail = {
  /** tasks with an issue (made, or waiting to be) */
  issues: number;
  /** the changes waiting for Linear, oldest first */
  pending: {
    taskId: string;
    kind: string;
    attempts: number;
    /** when it is tried next, ms since the epoch (by the agent's clock) */
    notBefore: number;
    lastError?: string;
  }[];
  lastError?: LinearLastError;
};

/**
 * The Linear State Agent: two-way sync between a workflow's tasks and a Linear team's issues.
 * Chorus → Linear: each task created or changed (title, status, assignee) queues a change; the
 * alarm sends due changes through `@linear/sdk`, each task's in order, retried after a rate
 * limit's reset or with backoff. Linear → Chorus: a verified webhook (the gateway checks the
 * signature and timestamp) is committed to the task as `linear`. Echoes are suppressed by value:
 * the record of a task holds its members as last seen on each side, and only a difference is a
 * change.
 */
export class LinearSync extends BaseAgent {
  readonly #linear: LinearStore;
  /** the flush under way: one at a time, or two runs could send one change twice, out of order */
  #flushing: Promise<void> | undefined;

  constructor(ctx: DurableObjectState, env: AgentsEnv) {
    super(ctx, env);
    this.#linear = new LinearStore(ctx.storage.sql);
  }

  protected override migrations(): readonly string[] {
    return LINEAR_MIGRATIONS;
  }

  /** Changes from Linear are committed as `linear`, as the issue asks. */
  protected override author(_row: AgentRow): string {
    return "linear";
  }

  /** The agent's clock. Tests replace it on the instance to drive simulated time. */
  protected now(): number {
    return Date.now();
  }

  protected override async onChange(event: StateEvent, row: AgentRow): Promise<void> {
    if (event.branch !== "main") return;
    for (const change of taskFieldChanges(event.changes)) await this.#plan(change, row);
  }

  protected override async onTick(_now: number, row: AgentRow): Promise<void> {
    if (this.#flushing === undefined) {
      this.#flushing = this.#flush(row).finally(() => {
        this.#flushing = undefined;
      });
    }
    await this.#flushing;
  }

  protected override nextTick(): number | undefined {
    const due = nextLinearDueAt(this.#linear.pending());
    return due === undefined ? undefined : Math.max(due, this.#linear.pausedUntil());
  }

  /** @returns the sync's state: how many issues, what waits for Linear, the last error */
  protected override detail(): LinearSyncDetail {
    const lastError = this.#linear.lastError();
    return {
      issues: this.#linear.records(),
      pending: this.#linear.pending().map(({ taskId, kind, attempts, notBefore, lastError }) => ({
        taskId,
        kind,
        attempts,
        notBefore,
        ...(lastError === undefined ? {} : { lastError }),
      })),
      ...(lastError === undefined ? {} : { lastError }),
    };
  }

  /**
   * A Linear webhook the gateway verified (signature, timestamp), for an issue of this workflow.
   * A replay is refused (`ALREADY_EXISTS`), an issue no task mirrors is `NOT_FOUND`; an echo of
   * the agent's own update, or a change that maps to nothing, commits nothing.
   */
  async linearWebhook(input: LinearWebhookInput): Promise<Result<{ committed: number | null }>> {
    return attempt(async () => {
      const { payload, replayKey } = validateOrThrow(LinearWebhookInput, input);
      const row = this.#running();
      if (this.#linear.seen(replayKey)) {
        throw new ChorusError("ALREADY_EXISTS", "this webhook delivery was taken before", {
          path: "/webhookTimestamp",
        });
      }
      const issue = validateOrThrow(LinearIssueData, payload.data, { at: "/data" });
      const record = this.#linear.recordByIssue(issue.id);
      if (record === undefined) {
        throw new ChorusError("NOT_FOUND", `no task of this workflow mirrors issue ${issue.id}`, {
          path: "/data/id",
        });
      }
      if (payload.action === "remove") {
        this.#linear.remember(replayKey, payload.webhookTimestamp, 2 * LINEAR_WEBHOOK_TOLERANCE_MS);
        return { committed: null };
      }
      const incoming: SyncedIssueFields = {};
      if (issue.title !== undefined) incoming.title = issue.title;
      if (issue.stateId !== undefined && issue.stateId !== null) incoming.stateId = issue.stateId;
      if (issue.assigneeId !== undefined) incoming.assigneeId = issue.assigneeId;
      const fromLinear = changedSyncFields(record.linear, incoming);
      const context = await this.#context(row);
      const toTask = changedSyncFields(record.chorus, taskFieldsFor(fromLinear, context));
      let committed: number | null = null;
      if (!isEmptySyncChange(toTask)) {
        const result = await this.commit({
          patch: Object.entries(toTask).map(([member, value]) => ({
            op: "add",
            path: `/tasks/${escapeToken(record.taskId)}/${member}`,
            value,
          })),
          description: `Linear: ${Object.keys(toTask).join(", ")} of issue ${issue.id}`,
          idempotencyKey: `linear:${replayKey.slice(0, 64)}`,
        });
        if (!result.ok) throw ChorusError.fromData(result.error);
        committed = result.value.version.version;
      }
      const members = Object.keys(toTask) as (keyof SyncedTaskFields)[];
      const { keep, dropped } = supersedeLinearChanges(
        this.#linear.pending(),
        record.taskId,
        members,
      );
      this.ctx.storage.transactionSync(() => {
        // Read again: a send may have updated the record while the commit was awaited.
        const current = this.#linear.record(record.taskId) ?? record;
        this.#linear.save({
          ...current,
          linear: { ...current.linear, ...fromLinear },
          chorus: { ...current.chorus, ...toTask },
        });
        this.#linear.remember(replayKey, payload.webhookTimestamp, 2 * LINEAR_WEBHOOK_TOLERANCE_MS);
        for (const seq of dropped) this.#linear.done(seq);
        this.#linear.update(keep.filter((change) => change.taskId === record.taskId));
      });
      this.count(committed === null ? "linearEchoes" : "linearApplied");
      return { committed };
    });
  }

  async #plan(change: TaskFieldChange, row: AgentRow): Promise<void> {
    // While Linear's rate limit lasts, a new change waits for its reset like the others.
    const now = Math.max(this.now(), this.#linear.pausedUntil());
    const record = this.#linear.record(change.taskId);
    if (record === undefined) {
      const issueId = await linearIssueId(row.workflowId, change.taskId);
      // The issue is reachable from webhooks before it exists, so none of its echoes is lost.
      await rememberIssue(this.env, issueId, row.workflowId);
      this.ctx.storage.transactionSync(() => {
        this.#linear.save({
          taskId: change.taskId,
          issueId,
          created: false,
          chorus: change.fields,
          linear: {},
        });
        this.#linear.enqueue(change.taskId, "create", change.fields, now);
      });
      return;
    }
    const changed = changedSyncFields(record.chorus, change.fields);
    if (isEmptySyncChange(changed)) return;
    this.ctx.storage.transactionSync(() => {
      this.#linear.save({ ...record, chorus: { ...record.chorus, ...changed } });
      this.#linear.enqueue(change.taskId, "update", changed, now);
    });
  }

  async #flush(row: AgentRow): Promise<void> {
    if (this.#linear.pending().length === 0) return;
    const api = linearApi(this.env);
    if (api === undefined) {
      this.#linear.setLastError({ message: "LINEAR_API_KEY is not set", at: this.now() });
      return;
    }
    for (let sends = 0; sends < SENDS_PER_RUN; sends++) {
      const [next] = dueLinearChanges(this.#linear.pending(), this.now());
      if (next === undefined) return;
      try {
        await this.#send(api, row, next);
      } catch (error) {
        const now = this.now();
        const failure = linearFailure(error, now);
        this.ctx.storage.transactionSync(() => {
          const queue = afterLinearFailure(this.#linear.pending(), next.seq, failure, now);
          this.#linear.update(queue);
          if (failure.kind === "rate-limited") {
            this.#linear.setPausedUntil(queue.find((c) => c.seq === next.seq)?.notBefore ?? now);
          }
          this.#linear.setLastError({ message: failure.message, at: now, taskId: next.taskId });
        });
        this.count(failure.kind === "rate-limited" ? "linearRateLimited" : "linearFailures");
        this.log("warn", "a change did not reach Linear; it waits", { failure, seq: next.seq });
        if (failure.kind === "rate-limited") return;
      }
    }
  }

  async #send(api: LinearApi, row: AgentRow, change: PendingLinearChange): Promise<void> {
    const record = this.#linear.record(change.taskId);
    if (record === undefined) return this.#linear.done(change.seq);
    const context = await this.#context(row, api);
    const config = this.#config(row);
    const fields = issueFieldsFor(change.fields, context);
    if (change.kind === "create") {
      // A create that failed may still have reached Linear (its answer lost): look first.
      const exists = change.attempts > 0 && (await api.exists(record.issueId));
      if (!exists) {
        await api.create({
          id: record.issueId,
          teamId: config.teamId,
          title: change.fields.title ?? change.taskId,
          fields,
          labelIds: config.labelIds,
        });
      }
      this.#took(change, fields, true);
      this.count("linearCreated");
      return;
    }
    const toSend = changedSyncFields(record.linear, fields);
    if (!isEmptySyncChange(toSend)) {
      await api.update(record.issueId, toSend);
      this.count("linearUpdated");
    }
    this.#took(change, toSend, false);
  }

  // Read again: a webhook may have updated the record while the call was awaited.
  #took(change: PendingLinearChange, sent: SyncedIssueFields, created: boolean): void {
    this.ctx.storage.transactionSync(() => {
      const record = this.#linear.record(change.taskId);
      if (record !== undefined) {
        this.#linear.save({
          ...record,
          created: record.created || created,
          linear: { ...record.linear, ...sent },
        });
      }
      this.#linear.done(change.seq);
    });
  }

  async #context(row: AgentRow, api = linearApi(this.env)): Promise<LinearFieldContext> {
    const config = this.#config(row);
    let states = this.#linear.states(config.teamId);
    if (states === undefined) {
      if (api === undefined) throw new ChorusError("INTERNAL", "LINEAR_API_KEY is not set");
      states = await api.states(config.teamId);
      this.#linear.setStates(config.teamId, states);
    }
    return { states, config };
  }

  #config(row: AgentRow): LinearAgentConfig {
    return validateOrThrow(LinearAgentConfig, row.config, {
      what: "the linear agent's config",
      at: "/config",
    });
  }

  #running(): AgentRow {
    const row = this.agentRow();
    if (row === undefined || row.status === "stopped") {
      throw new ChorusError("NOT_FOUND", "this workflow's linear agent is not running");
    }
    return row;
  }
}

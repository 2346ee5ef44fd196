import type {
  LinearSyncRecord,
  LinearWorkflowState,
  PendingLinearChange,
  SyncedTaskFields,
} from "@chorus/core";

/** The last failure of a call to Linear, shown on the agent. */
export type LinearLastError = {
  message: string;
  /** ms since the epoch, by the agent's clock */
  at: number;
  taskId?: string;
};

type Row = Record<string, SqlStorageValue>;

function toRecord(row: Row): LinearSyncRecord {
  return {
    taskId: String(row.task_id),
    issueId: String(row.issue_id),
    created: Number(row.created) === 1,
    chorus: JSON.parse(String(row.chorus)),
    linear: JSON.parse(String(row.linear)),
  };
}

function toPending(row: Row): PendingLinearChange {
  return {
    seq: Number(row.seq),
    taskId: String(row.task_id),
    kind: row.kind === "create" ? "create" : "update",
    fields: JSON.parse(String(row.fields)),
    attempts: Number(row.attempts),
    notBefore: Number(row.not_before),
    ...(row.last_error === null ? {} : { lastError: String(row.last_error) }),
  };
}

/**
 * The Linear State Agent's rows (tables in sql/linear-schema.ts): the task ↔ issue records, the
 * pending queue, the webhook replay keys and its meta. Every method is synchronous, so a caller
 * groups them in one `transactionSync`.
 */
export class LinearStore {
  readonly #sql: SqlStorage;

  /** @param sql the agent's SQL storage, migrated with `LINEAR_MIGRATIONS` */
  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /** @returns the record of a task, if it was ever synced */
  record(taskId: string): LinearSyncRecord | undefined {
    const row = this.#sql
      .exec("SELECT * FROM linear_issues WHERE task_id = ?", taskId)
      .toArray()[0];
    return row === undefined ? undefined : toRecord(row);
  }

  /** @returns the record of the task an issue mirrors, if any */
  recordByIssue(issueId: string): LinearSyncRecord | undefined {
    const row = this.#sql
      .exec("SELECT * FROM linear_issues WHERE issue_id = ?", issueId)
      .toArray()[0];
    return row === undefined ? undefined : toRecord(row);
  }

  /** Writes a record (inserted or replaced). */
  save(record: LinearSyncRecord): void {
    this.#sql.exec(
      `INSERT INTO linear_issues (task_id, issue_id, created, chorus, linear) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (task_id) DO UPDATE SET created = excluded.created, chorus = excluded.chorus,
         linear = excluded.linear`,
      record.taskId,
      record.issueId,
      record.created ? 1 : 0,
      JSON.stringify(record.chorus),
      JSON.stringify(record.linear),
    );
  }

  /** @returns how many tasks have a record */
  records(): number {
    return Number(this.#sql.exec("SELECT COUNT(*) AS n FROM linear_issues").one().n);
  }

  /** @returns the pending changes, oldest first */
  pending(): PendingLinearChange[] {
    return this.#sql.exec("SELECT * FROM linear_pending ORDER BY seq").toArray().map(toPending);
  }

  /** Queues a change behind every earlier one. */
  enqueue(taskId: string, kind: "create" | "update", fields: SyncedTaskFields, at: number): void {
    this.#sql.exec(
      "INSERT INTO linear_pending (task_id, kind, fields, attempts, not_before) VALUES (?, ?, ?, 0, ?)",
      taskId,
      kind,
      JSON.stringify(fields),
      at,
    );
  }

  /** Removes a change Linear took (or that was superseded). */
  done(seq: number): void {
    this.#sql.exec("DELETE FROM linear_pending WHERE seq = ?", seq);
  }

  /** Writes back changes the queue's rules updated (their fields, attempts and retry times). */
  update(changes: readonly PendingLinearChange[]): void {
    for (const change of changes) {
      this.#sql.exec(
        "UPDATE linear_pending SET fields = ?, attempts = ?, not_before = ?, last_error = ? WHERE seq = ?",
        JSON.stringify(change.fields),
        change.attempts,
        change.notBefore,
        change.lastError ?? null,
        change.seq,
      );
    }
  }

  /** @returns whether a webhook delivery was taken before */
  seen(replayKey: string): boolean {
    return (
      this.#sql.exec("SELECT 1 FROM linear_webhooks WHERE replay_key = ?", replayKey).toArray()
        .length > 0
    );
  }

  /**
   * Remembers a delivery, and forgets those too old to pass the timestamp check anyway.
   * @param replayKey the delivery's key
   * @param timestamp its `webhookTimestamp`
   * @param keepMs how far back keys are kept
   */
  remember(replayKey: string, timestamp: number, keepMs: number): void {
    this.#sql.exec(
      "INSERT OR IGNORE INTO linear_webhooks (replay_key, webhook_timestamp) VALUES (?, ?)",
      replayKey,
      timestamp,
    );
    this.#sql.exec("DELETE FROM linear_webhooks WHERE webhook_timestamp < ?", timestamp - keepMs);
  }

  /** @returns the cached workflow states of the team, if fetched */
  states(teamId: string): LinearWorkflowState[] | undefined {
    const cached = this.#meta<{ teamId: string; states: LinearWorkflowState[] }>("states");
    return cached?.teamId === teamId ? cached.states : undefined;
  }

  /** Caches the team's workflow states. */
  setStates(teamId: string, states: LinearWorkflowState[]): void {
    this.#setMeta("states", { teamId, states });
  }

  /** @returns until when Linear asked for no calls (a rate limit), ms since the epoch; 0 for none */
  pausedUntil(): number {
    return this.#meta<number>("pausedUntil") ?? 0;
  }

  /** Records a rate limit's reset: no call before it, and changes queued meanwhile wait for it. */
  setPausedUntil(at: number): void {
    this.#setMeta("pausedUntil", at);
  }

  /** @returns the last failure of a call to Linear */
  lastError(): LinearLastError | undefined {
    return this.#meta<LinearLastError>("lastError");
  }

  /** Records the last failure of a call to Linear. */
  setLastError(error: LinearLastError): void {
    this.#setMeta("lastError", error);
  }

  #meta<T>(key: string): T | undefined {
    const row = this.#sql.exec("SELECT value FROM linear_meta WHERE key = ?", key).toArray()[0];
    return row === undefined ? undefined : (JSON.parse(String(row.value)) as T);
  }

  #setMeta(key: string, value: unknown): void {
    this.#sql.exec(
      "INSERT INTO linear_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      key,
      JSON.stringify(value),
    );
  }
}

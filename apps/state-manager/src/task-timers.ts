import { dueAt, type Task } from "@chorus/core";

/**
 * What a timer is for: a task's lease end or backoff end, the workflow's maintenance, a
 * change consumer's next delivery attempt (keyed by its binding name), or the next review
 * notification.
 */
export type TimerKind = "task" | "maintenance" | "delivery" | "notify";

/**
 * The due times of everything the object does by itself, in the `timers` table. A Durable
 * Object has one alarm: it is always armed at the earliest row, so task timers and the
 * maintenance run share it.
 */
export class Timers {
  readonly #sql: SqlStorage;

  /** @param sql the Durable Object's SQL storage */
  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /** Sets (or moves) a timer. */
  set(kind: TimerKind, key: string, dueAt: number): void {
    this.#sql.exec(
      `INSERT INTO timers (kind, key, due_at) VALUES (?, ?, ?)
       ON CONFLICT (kind, key) DO UPDATE SET due_at = excluded.due_at`,
      kind,
      key,
      dueAt,
    );
  }

  /** Removes a timer, if set. */
  clear(kind: TimerKind, key: string): void {
    this.#sql.exec("DELETE FROM timers WHERE kind = ? AND key = ?", kind, key);
  }

  /** @returns when a timer is due, if it is set */
  get(kind: TimerKind, key: string): number | undefined {
    const raw = this.#sql
      .exec("SELECT due_at FROM timers WHERE kind = ? AND key = ?", kind, key)
      .toArray()[0];
    return raw === undefined ? undefined : Number(raw.due_at);
  }

  /**
   * Keeps a task's timer in step with the task: set while it is claimed or backing off, cleared
   * otherwise. Call in the transaction that commits the task.
   */
  syncTask(task: Task): void {
    const due = dueAt(task);
    if (due === undefined) this.clear("task", task.id);
    else this.set("task", task.id, due);
  }

  /** @returns the keys of the timers of a kind due by `now`, earliest first */
  due(kind: TimerKind, now: number, limit = 500): string[] {
    return this.#sql
      .exec(
        "SELECT key FROM timers WHERE kind = ? AND due_at <= ? ORDER BY due_at LIMIT ?",
        kind,
        now,
        limit,
      )
      .toArray()
      .map((raw) => String(raw.key));
  }

  /** Moves every timer of a kind that is due by `now` to `later`: a run that failed is retried then. */
  postpone(kind: TimerKind, now: number, later: number): void {
    this.#sql.exec("UPDATE timers SET due_at = ? WHERE kind = ? AND due_at <= ?", later, kind, now);
  }

  /** @returns the earliest due time of any timer */
  earliest(): number | undefined {
    const raw = this.#sql.exec("SELECT MIN(due_at) AS due FROM timers").toArray()[0];
    return raw?.due === null || raw?.due === undefined ? undefined : Number(raw.due);
  }
}

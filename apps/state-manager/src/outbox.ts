/** Where one consumer stands: the last version it acknowledged, and its failures since. */
export interface ChangeCursor {
  acked: number;
  failures: number;
}

/**
 * The outbox of change delivery, in the `outbox` and `change_cursors` tables: which committed
 * versions some consumer still has to acknowledge, and each consumer's cursor. A version enters
 * in its own commit's transaction ({@link record}), so no commit is ever missing from it.
 */
export class Outbox {
  readonly #sql: SqlStorage;
  readonly #enabled: boolean;

  /**
   * @param sql the Durable Object's SQL storage
   * @param enabled whether any consumer is configured: without one, nothing is recorded
   */
  constructor(sql: SqlStorage, enabled: boolean) {
    this.#sql = sql;
    this.#enabled = enabled;
  }

  /** Records a committed version for delivery. Call in the version's transaction. */
  record(version: number): void {
    if (this.#enabled) this.#sql.exec("INSERT INTO outbox (version) VALUES (?)", version);
  }

  /** @returns up to `limit` versions after `version`, oldest first */
  after(version: number, limit: number): number[] {
    return this.#sql
      .exec("SELECT version FROM outbox WHERE version > ? ORDER BY version LIMIT ?", version, limit)
      .toArray()
      .map((raw) => Number(raw.version));
  }

  /** @returns every version still in the outbox, oldest first (for tests and metrics) */
  versions(): number[] {
    return this.after(0, Number.MAX_SAFE_INTEGER);
  }

  /** @returns a consumer's cursor; a consumer never heard of starts before the whole outbox */
  cursor(consumer: string): ChangeCursor {
    const raw = this.#sql
      .exec("SELECT acked, failures FROM change_cursors WHERE consumer = ?", consumer)
      .toArray()[0];
    return raw === undefined
      ? { acked: 0, failures: 0 }
      : { acked: Number(raw.acked), failures: Number(raw.failures) };
  }

  /** Moves a consumer's cursor to `version` (never back) and clears its failures. */
  acknowledge(consumer: string, version: number): void {
    this.#sql.exec(
      `INSERT INTO change_cursors (consumer, acked, failures) VALUES (?, ?, 0)
       ON CONFLICT (consumer) DO UPDATE SET acked = MAX(acked, excluded.acked), failures = 0`,
      consumer,
      version,
    );
  }

  /** @returns the consumer's failures in a row, counting this one */
  failed(consumer: string): number {
    const raw = this.#sql
      .exec(
        `INSERT INTO change_cursors (consumer, acked, failures) VALUES (?, 0, 1)
         ON CONFLICT (consumer) DO UPDATE SET failures = failures + 1 RETURNING failures`,
        consumer,
      )
      .one();
    return Number(raw.failures);
  }

  /** Deletes the versions every one of `consumers` acknowledged. */
  prune(consumers: readonly string[]): void {
    const acked = Math.min(...consumers.map((consumer) => this.cursor(consumer).acked));
    if (Number.isFinite(acked)) this.#sql.exec("DELETE FROM outbox WHERE version <= ?", acked);
  }
}

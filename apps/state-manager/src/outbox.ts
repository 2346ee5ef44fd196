/** Where one consumer stands: the last version it acknowledged, and its failures since. */
export interface ChangeCursor {
  acked: number;
  failures: number;
}

/**
 * The outbox of change delivery, in the `outbox` and `change_cursors` tables: which committed
 * versions some consumer still has to acknowledge, and each consumer's cursor. A version enters
 * in its own commit's transaction ({@link record}), so no commit is ever missing from it.
 *
 * Acknowledgements are held in memory and written with the next commit's transaction or by
 * {@link flush}, not one write each: delivery is at least once already, so a cursor that lags on
 * disk after a restart only means some versions are delivered again, and a commit no longer pays
 * two more durable writes per consumer for its delivery.
 */
export class Outbox {
  readonly #sql: SqlStorage;
  readonly #consumers: readonly string[];
  /** cursors read or moved since the object started; the stored ones are read on first use */
  readonly #cursors = new Map<string, ChangeCursor>();
  /** consumers whose cursor moved since it was last written */
  readonly #unwritten = new Set<string>();
  /** consumers that asked for no more changes until resumed (held in memory only) */
  readonly #paused = new Set<string>();

  /**
   * @param sql the Durable Object's SQL storage
   * @param consumers the configured consumers: without one (or with all paused) nothing is recorded
   */
  constructor(sql: SqlStorage, consumers: readonly string[]) {
    this.#sql = sql;
    this.#consumers = consumers;
  }

  /**
   * Records a committed version for delivery, and writes the acknowledgements held since the
   * last commit (they ride on its transaction). Call in the version's transaction.
   */
  record(version: number): void {
    // No consumer, or every one paused: nobody would read the row, so the commit writes no more.
    if (this.#consumers.every((consumer) => this.#paused.has(consumer))) return;
    this.#sql.exec("INSERT INTO outbox (version) VALUES (?)", version);
    for (const consumer of this.#paused) this.acknowledge(consumer, version);
    this.flush();
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
    let cursor = this.#cursors.get(consumer);
    if (cursor === undefined) {
      const raw = this.#sql
        .exec("SELECT acked, failures FROM change_cursors WHERE consumer = ?", consumer)
        .toArray()[0];
      cursor =
        raw === undefined
          ? { acked: 0, failures: 0 }
          : { acked: Number(raw.acked), failures: Number(raw.failures) };
      this.#cursors.set(consumer, cursor);
    }
    return { ...cursor };
  }

  /** Moves a consumer's cursor to `version` (never back) and clears its failures, in memory. */
  acknowledge(consumer: string, version: number): void {
    const { acked } = this.cursor(consumer);
    this.#cursors.set(consumer, { acked: Math.max(acked, version), failures: 0 });
    this.#unwritten.add(consumer);
  }

  /**
   * Pauses a consumer that said it needs no more of this workflow's changes: its cursor jumps to
   * the newest version recorded and moves with every commit, so nothing waits in the outbox for
   * it. A pause is not written: after a restart the consumer gets one more delivery and says so
   * again.
   */
  pause(consumer: string): void {
    const raw = this.#sql.exec("SELECT MAX(version) AS newest FROM outbox").toArray()[0];
    this.acknowledge(consumer, Number(raw?.newest ?? 0));
    this.#paused.add(consumer);
  }

  /** @returns whether a consumer is paused */
  paused(consumer: string): boolean {
    return this.#paused.has(consumer);
  }

  /** Resumes every paused consumer: deliveries start again after the newest version recorded. */
  resume(): void {
    this.#paused.clear();
  }

  /**
   * Counts a failed delivery, written at once: the backoff it starts must survive a restart.
   * @returns the consumer's failures in a row, counting this one
   */
  failed(consumer: string): number {
    const { acked, failures } = this.cursor(consumer);
    const next = { acked, failures: failures + 1 };
    this.#write(consumer, next);
    this.#cursors.set(consumer, next);
    return next.failures;
  }

  /**
   * Writes the cursors that moved and deletes the versions every consumer acknowledged. Runs in
   * the caller's transaction: should it roll back, the cursors are written again as they move
   * on, and until then a restart delivers a few versions again.
   */
  flush(): void {
    if (this.#unwritten.size === 0) return;
    for (const consumer of this.#unwritten) this.#write(consumer, this.cursor(consumer));
    this.#unwritten.clear();
    const acked = Math.min(...this.#consumers.map((consumer) => this.cursor(consumer).acked));
    if (Number.isFinite(acked)) this.#sql.exec("DELETE FROM outbox WHERE version <= ?", acked);
  }

  #write(consumer: string, cursor: ChangeCursor): void {
    this.#sql.exec(
      `INSERT INTO change_cursors (consumer, acked, failures) VALUES (?, ?, ?)
       ON CONFLICT (consumer) DO UPDATE SET acked = MAX(acked, excluded.acked),
         failures = excluded.failures`,
      consumer,
      cursor.acked,
      cursor.failures,
    );
  }
}

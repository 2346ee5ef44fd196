/** How long a writer may retry with the same key and get the original result back. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** Remembered results of writes that carried an idempotency key. */
export class IdempotencyKeys {
  readonly #sql: SqlStorage;

  /** @param sql the Durable Object's SQL storage */
  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /**
   * @param key the writer's key
   * @returns the result first returned for it, if it is still remembered
   */
  get<T>(key: string): T | undefined {
    const raw = this.#sql.exec("SELECT result FROM idempotency WHERE key = ?", key).toArray()[0];
    return raw === undefined ? undefined : (JSON.parse(String(raw.result)) as T);
  }

  /**
   * Remembers a result; call inside the transaction that commits it.
   * @param key the writer's key
   * @param result what the write returned
   * @param now the current time
   */
  put(key: string, result: unknown, now: number): void {
    this.#sql.exec(
      "INSERT INTO idempotency (key, result, created_at) VALUES (?, ?, ?)",
      key,
      JSON.stringify(result),
      now,
    );
  }

  /**
   * Forgets keys older than the TTL.
   * @param now the current time
   * @returns how many were removed
   */
  prune(now: number): number {
    return this.#sql.exec("DELETE FROM idempotency WHERE created_at < ?", now - IDEMPOTENCY_TTL_MS)
      .rowsWritten;
  }
}

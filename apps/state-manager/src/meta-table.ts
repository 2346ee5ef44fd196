/** The `meta` table: single values by key (the workflow's id, its settings, a benchmark's row). */
export class MetaTable {
  readonly #sql: SqlStorage;

  /** @param sql the Durable Object's SQL storage */
  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /** @returns the value stored under `key`, if any */
  get(key: string): string | undefined {
    const raw = this.#sql.exec("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
    return raw === undefined ? undefined : String(raw.value);
  }

  /** Stores `value` under `key`, replacing what was there. */
  set(key: string, value: string): void {
    this.#sql.exec(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      key,
      value,
    );
  }
}

/** The counters `metrics()` reports; each survives restarts in the `meta` table. */
export const COUNTERS = [
  "versionsCreated",
  "conflictsDetected",
  "conflictsAutoResolved",
  "conflictsQueued",
  "conflictsResolved",
  "snapshotsCreated",
  "versionsArchived",
  "storedBytes",
] as const;
export type Counter = (typeof COUNTERS)[number];

/** Persistent counters, kept in memory and written in the same transaction as the change. */
export class Counters {
  readonly #sql: SqlStorage;
  readonly #values = new Map<Counter, number>();

  /** @param sql the Durable Object's SQL storage */
  constructor(sql: SqlStorage) {
    this.#sql = sql;
    for (const name of COUNTERS) {
      const raw = sql.exec("SELECT value FROM meta WHERE key = ?", `counter:${name}`).toArray()[0];
      this.#values.set(name, raw === undefined ? 0 : Number(raw.value));
    }
  }

  /**
   * Adds to a counter; call inside the transaction that makes the change it counts.
   * @param name the counter
   * @param by how much (default 1)
   */
  add(name: Counter, by = 1): void {
    const value = (this.#values.get(name) ?? 0) + by;
    this.#values.set(name, value);
    this.#sql.exec(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      `counter:${name}`,
      String(value),
    );
  }

  /** @returns every counter's value */
  all(): Record<Counter, number> {
    return Object.fromEntries(
      COUNTERS.map((name) => [name, this.#values.get(name) ?? 0]),
    ) as Record<Counter, number>;
  }
}

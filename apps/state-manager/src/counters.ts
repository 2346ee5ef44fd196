/**
 * The counters `metrics()` reports. Each survives restarts: the per-version ones are what the
 * `versions` table holds, the others are kept in the `meta` table.
 *
 * Two kinds of conflict counter: `concurrent*` count commits (one whose base is older than the
 * head, and how it ended), which is what the auto-resolution rate is made of; `conflicts*`
 * count overlapping paths (a path both sides changed), except `conflictsQueued` and
 * `conflictsResolved`, which count queued conflicts.
 */
export const COUNTERS = [
  "versionsCreated",
  "concurrentCommits",
  "concurrentMerged",
  "concurrentResolved",
  "concurrentQueued",
  "conflictsDetected",
  "conflictsAutoResolved",
  "conflictsQueued",
  "conflictsResolved",
  "snapshotsCreated",
  "versionsArchived",
  "storedBytes",
] as const;
export type Counter = (typeof COUNTERS)[number];

// Counted from the versions table when the object starts, so a commit writes no counter rows.
const FROM_VERSIONS: Partial<Record<Counter, string>> = {
  versionsCreated: "SELECT COUNT(*) AS value FROM versions",
  storedBytes: "SELECT COALESCE(SUM(stored_bytes), 0) AS value FROM versions",
};

/** Persistent counters, kept in memory and written in the same transaction as the change. */
export class Counters {
  readonly #sql: SqlStorage;
  readonly #values = new Map<Counter, number>();

  /**
   * Reads nothing yet: call {@link reload} once the schema is in place.
   * @param sql the Durable Object's SQL storage
   */
  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /**
   * Adds to a counter; call inside the transaction that makes the change it counts.
   * @param name the counter
   * @param by how much (default 1)
   */
  add(name: Counter, by = 1): void {
    this.addAll({ [name]: by });
  }

  /**
   * Adds to several counters in one statement; call inside the transaction that makes the change.
   * @param amounts how much to add to each
   */
  addAll(amounts: Partial<Record<Counter, number>>): void {
    const bindings: string[] = [];
    for (const [name, by] of Object.entries(amounts) as Array<[Counter, number]>) {
      const value = (this.#values.get(name) ?? 0) + by;
      this.#values.set(name, value);
      if (FROM_VERSIONS[name] === undefined) bindings.push(`counter:${name}`, String(value));
    }
    if (bindings.length === 0) return;
    this.#sql.exec(
      `INSERT INTO meta (key, value) VALUES ${Array(bindings.length / 2)
        .fill("(?, ?)")
        .join(", ")}
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      ...bindings,
    );
  }

  /**
   * Reads every counter: as the object starts, and after a transaction that added to some
   * rolled back.
   */
  reload(): void {
    for (const name of COUNTERS) {
      const derived = FROM_VERSIONS[name];
      const raw =
        derived === undefined
          ? this.#sql.exec("SELECT value FROM meta WHERE key = ?", `counter:${name}`).toArray()[0]
          : this.#sql.exec(derived).one();
      this.#values.set(name, raw === undefined ? 0 : Number(raw.value));
    }
  }

  /** @returns every counter's value */
  all(): Record<Counter, number> {
    return Object.fromEntries(
      COUNTERS.map((name) => [name, this.#values.get(name) ?? 0]),
    ) as Record<Counter, number>;
  }
}

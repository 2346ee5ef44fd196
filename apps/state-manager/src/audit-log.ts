import type { AuditEntry, AuditPage, JsonValue } from "@chorus/core";

/** The append-only `audit` table: every state change, snapshot, restore, merge and resolution. */
export class AuditLog {
  readonly #sql: SqlStorage;

  /** @param sql the Durable Object's SQL storage */
  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /**
   * Appends an entry; call inside the transaction that makes the change.
   * @param entry what happened
   */
  append(entry: Omit<AuditEntry, "seq">): void {
    this.#sql.exec(
      "INSERT INTO audit (at, actor, action, version, detail) VALUES (?, ?, ?, ?, ?)",
      entry.at,
      entry.actor,
      entry.action,
      entry.version,
      JSON.stringify(entry.detail),
    );
  }

  /**
   * @param limit how many entries
   * @param before only entries with a smaller `seq` (the cursor)
   * @returns entries, newest first, and the cursor of the next page
   */
  page(limit: number, before?: number): AuditPage {
    const rows = this.#sql
      .exec<Record<string, SqlStorageValue>>(
        "SELECT * FROM audit WHERE seq < ? ORDER BY seq DESC LIMIT ?",
        before ?? Number.MAX_SAFE_INTEGER,
        limit + 1,
      )
      .toArray();
    const entries = rows.slice(0, limit).map((raw) => ({
      seq: Number(raw.seq),
      at: Number(raw.at),
      actor: String(raw.actor),
      action: String(raw.action),
      version: raw.version === null ? null : Number(raw.version),
      detail: JSON.parse(String(raw.detail)) as JsonValue,
    }));
    const last = entries.at(-1);
    return { entries, nextCursor: rows.length > limit && last ? last.seq : null };
  }
}

/** A stream ticket as stored: never the ticket itself, only its SHA-256. */
export interface StoredTicket {
  hash: string;
  /** the SHA-256 of the bearer token it was issued to ({@link Identity.credential}) */
  credential: string;
  workflowId: string;
  expiresAt: number;
}

/** What taking a ticket found. */
export type TakenTicket =
  | { found: true; credential: string; workflowId: string; expired: boolean }
  | { found: false };

/**
 * The `tickets` table of a TokenStore shard: single-use stream tickets, kept until used or a
 * little past their expiry.
 */
export class TicketTable {
  readonly #sql: SqlStorage;

  /** @param sql the shard's SQL storage */
  constructor(sql: SqlStorage) {
    this.#sql = sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS tickets (
      hash TEXT PRIMARY KEY,
      credential TEXT NOT NULL,
      workflow_id TEXT NOT NULL,
      expires_at INTEGER NOT NULL
    )`);
  }

  /**
   * Stores a ticket, and forgets every expired one (so the table holds about a minute's worth).
   * @param ticket the ticket, hashed
   * @param now the current time
   */
  add(ticket: StoredTicket, now: number): void {
    this.#sql.exec("DELETE FROM tickets WHERE expires_at < ?", now);
    this.#sql.exec(
      "INSERT INTO tickets (hash, credential, workflow_id, expires_at) VALUES (?, ?, ?, ?)",
      ticket.hash,
      ticket.credential,
      ticket.workflowId,
      ticket.expiresAt,
    );
  }

  /**
   * Takes a ticket: reads and deletes it in one step (the object runs one call at a time and
   * these calls do not await), so two requests with the same ticket cannot both have it.
   * @param hash the SHA-256 of a presented ticket
   * @param now the current time
   * @returns what it was issued for, and whether it had expired; or `found: false`
   */
  take(hash: string, now: number): TakenTicket {
    const row = this.#sql
      .exec(
        "DELETE FROM tickets WHERE hash = ? RETURNING credential, workflow_id, expires_at",
        hash,
      )
      .toArray()[0];
    if (row === undefined) return { found: false };
    return {
      found: true,
      credential: String(row.credential),
      workflowId: String(row.workflow_id),
      expired: Number(row.expires_at) < now,
    };
  }
}

import { DurableObject } from "cloudflare:workers";
import type { Role, TokenInfo } from "@chorus/core";
import type { Env } from "./env.ts";
import { type StoredTicket, type TakenTicket, TicketTable } from "./ticket-table.ts";

/** A token as stored: its info and the SHA-256 of its secret, never the secret. */
export interface StoredToken extends TokenInfo {
  hash: string;
}

/**
 * One shard of the API tokens (the gateway uses 16, by the first hex digit of a token's hash),
 * in SQLite. Lookups read storage every time, so a revocation takes effect at once. A shard also
 * holds the stream tickets whose hash falls in it.
 */
export class TokenStore extends DurableObject<Env> {
  readonly #sql: SqlStorage;
  #tickets: TicketTable | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    void ctx.blockConcurrencyWhile(async () => {
      this.#sql.exec(`CREATE TABLE IF NOT EXISTS tokens (
        id TEXT PRIMARY KEY,
        hash TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        workflow_ids TEXT,
        created_at INTEGER NOT NULL
      )`);
    });
  }

  /** @param token a new token, already hashed */
  insert(token: StoredToken): void {
    this.#sql.exec(
      "INSERT INTO tokens (id, hash, name, role, workflow_ids, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      token.id,
      token.hash,
      token.name,
      token.role,
      token.workflowIds === null ? null : JSON.stringify(token.workflowIds),
      token.createdAt,
    );
  }

  /**
   * @param hash the SHA-256 of a presented secret
   * @returns the token it belongs to, or `null`
   */
  lookup(hash: string): TokenInfo | null {
    const row = this.#sql.exec<Row>("SELECT * FROM tokens WHERE hash = ?", hash).toArray()[0];
    return row === undefined ? null : toInfo(row);
  }

  /** @returns this shard's tokens, oldest first */
  list(): TokenInfo[] {
    return this.#sql
      .exec<Row>("SELECT * FROM tokens ORDER BY created_at, id")
      .toArray()
      .map(toInfo);
  }

  /**
   * @param id a token id
   * @returns whether a token was deleted
   */
  revoke(id: string): boolean {
    return this.#sql.exec("DELETE FROM tokens WHERE id = ?", id).rowsWritten > 0;
  }

  /** @param ticket a new stream ticket, already hashed */
  addTicket(ticket: StoredTicket): void {
    this.#ticketTable().add(ticket, Date.now());
  }

  /**
   * Takes a stream ticket: it can be taken once.
   * @param hash the SHA-256 of a presented ticket
   * @returns what it was issued for, or `found: false`
   */
  takeTicket(hash: string): TakenTicket {
    return this.#ticketTable().take(hash, Date.now());
  }

  // Created on first use: a shard that never sees a ticket never gets the table.
  #ticketTable(): TicketTable {
    this.#tickets ??= new TicketTable(this.#sql);
    return this.#tickets;
  }
}

type Row = Record<string, SqlStorageValue>;

function toInfo(row: Row): TokenInfo {
  return {
    id: String(row.id),
    name: String(row.name),
    role: String(row.role) as Role,
    workflowIds:
      row.workflow_ids === null ? null : (JSON.parse(String(row.workflow_ids)) as string[]),
    createdAt: Number(row.created_at),
  };
}

import { DurableObject } from "cloudflare:workers";
import type { Role, TokenInfo } from "@chorus/core";
import type { Env } from "./env.ts";
import { type StoredTicket, type TakenTicket, TicketTable } from "./ticket-table.ts";

/** A token as stored: its info and the SHA-256 of its secret, never the secret. */
export interface StoredToken extends TokenInfo {
  hash: string;
  /** the agent an agent's token acts as; absent for other tokens */
  agentId?: string;
}

/** A token as a lookup finds it: its info, and the agent it acts as, if any. */
export interface FoundToken extends TokenInfo {
  agentId?: string;
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
      // Added for agent tokens (issue 14): the agent the token acts as.
      const columns = this.#sql.exec("PRAGMA table_info(tokens)").toArray();
      if (!columns.some((column) => column.name === "agent_id")) {
        this.#sql.exec("ALTER TABLE tokens ADD COLUMN agent_id TEXT");
      }
    });
  }

  /** @param token a new token, already hashed */
  insert(token: StoredToken): void {
    this.#sql.exec(
      "INSERT INTO tokens (id, hash, name, role, workflow_ids, created_at, agent_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
      token.id,
      token.hash,
      token.name,
      token.role,
      token.workflowIds === null ? null : JSON.stringify(token.workflowIds),
      token.createdAt,
      token.agentId ?? null,
    );
  }

  /**
   * @param hash the SHA-256 of a presented secret
   * @returns the token it belongs to (with its agent, for an agent's token), or `null`
   */
  lookup(hash: string): FoundToken | null {
    const row = this.#sql.exec<Row>("SELECT * FROM tokens WHERE hash = ?", hash).toArray()[0];
    if (row === undefined) return null;
    const info = toInfo(row);
    return row.agent_id === null || row.agent_id === undefined
      ? info
      : { ...info, agentId: String(row.agent_id) };
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

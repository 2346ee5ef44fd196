import { DurableObject } from "cloudflare:workers";
import type { BenchEnv } from "./env.ts";

/** What the floor's methods return: shaped like the state manager's results. */
export type FloorResult<T> = { ok: true; value: T };

/**
 * A SQLite-backed Durable Object that does the least each floor needs: one small insert, or
 * nothing but receiving or returning a payload of a given size.
 */
export class Floor extends DurableObject<BenchEnv> {
  #held: unknown = null;

  constructor(ctx: DurableObjectState, env: BenchEnv) {
    super(ctx, env);
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, body TEXT NOT NULL)",
    );
  }

  /** Inserts one small row: the trivial SQLite write. */
  async insert(input: { body: string }): Promise<FloorResult<{ id: number }>> {
    const row = this.ctx.storage.sql
      .exec<{ id: number }>(
        "INSERT INTO rows (at, body) VALUES (?, ?) RETURNING id",
        Date.now(),
        input.body,
      )
      .one();
    return { ok: true, value: { id: row.id } };
  }

  /** Receives a payload and drops it: what carrying a whole state in costs, work aside. */
  async sink(_input: { value: unknown }): Promise<FloorResult<null>> {
    return { ok: true, value: null };
  }

  /** Keeps a payload in memory for {@link Floor.source}. */
  async hold(input: { value: unknown }): Promise<FloorResult<null>> {
    this.#held = input.value;
    return { ok: true, value: null };
  }

  /** Returns the held payload: what carrying a whole state out costs, work aside. */
  async source(): Promise<FloorResult<unknown>> {
    return { ok: true, value: this.#held };
  }
}

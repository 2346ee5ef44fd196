import { DurableObject } from "cloudflare:workers";
import type { JsonObject } from "@chorus/core";
import { type CommitStep, commitSteps } from "./commit-steps.ts";
import type { BenchEnv } from "./env.ts";

/** What the floor's methods return: shaped like the state manager's results. */
export type FloorResult<T> = { ok: true; value: T };

/**
 * A SQLite-backed Durable Object that does the least each floor needs: one small insert, or
 * nothing but receiving or returning a payload of a given size. It also times, for the profile,
 * each whole-state step of a commit on the state it holds.
 */
export class Floor extends DurableObject<BenchEnv> {
  #held: unknown = null;
  #heldText = "null";
  #steps: Record<string, CommitStep> | undefined;

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

  /** The whole-state steps plus single SQLite statements, which a commit runs thirteen of. */
  #allSteps(): Record<string, CommitStep> {
    const sql = this.ctx.storage.sql;
    return {
      ...commitSteps(this.#held as JsonObject),
      "one small SQLite INSERT": {
        where: "a commit writes 4 rows: version, patch, branch head, audit entry",
        run: () => sql.exec("INSERT INTO rows (at, body) VALUES (?, ?)", 0, "x"),
      },
      "one SQLite SELECT by key": {
        where: "none on a commit: heads, recent rows and the latest version are in memory",
        run: () => sql.exec("SELECT id FROM rows WHERE id = ?", 1).toArray(),
      },
    };
  }

  /** Receives a payload and drops it: what carrying a whole state in costs, work aside. */
  async sink(_input: { value: unknown }): Promise<FloorResult<null>> {
    return { ok: true, value: null };
  }

  /** Keeps a payload in memory for {@link Floor.source} and {@link Floor.profile}. */
  async hold(input: { value: unknown }): Promise<FloorResult<null>> {
    this.#held = input.value;
    this.#heldText = JSON.stringify(input.value);
    this.#steps = undefined;
    return { ok: true, value: null };
  }

  /**
   * Runs one step of a commit `iterations` times on the held state. workerd's clock stands still
   * here, so Node times the call and subtracts a call with no iterations.
   * @returns the step names, when `step` is empty
   */
  async profile(input: { step: string; iterations: number }): Promise<FloorResult<string[]>> {
    this.#steps ??= this.#allSteps();
    const step = this.#steps[input.step];
    for (let i = 0; step !== undefined && i < input.iterations; i++) await step.run();
    return { ok: true, value: Object.keys(this.#steps) };
  }

  /** @returns where the state manager does each step */
  async steps(): Promise<FloorResult<Record<string, string>>> {
    this.#steps ??= this.#allSteps();
    return {
      ok: true,
      value: Object.fromEntries(Object.entries(this.#steps).map(([name, s]) => [name, s.where])),
    };
  }

  /**
   * Returns the held payload as JSON text, as the state manager's `getStateText` returns a
   * state: what carrying a whole state out costs, work aside.
   */
  async source(): Promise<FloorResult<{ json: string }>> {
    return { ok: true, value: { json: this.#heldText } };
  }
}

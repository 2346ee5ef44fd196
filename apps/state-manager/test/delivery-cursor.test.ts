import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { Outbox } from "../src/outbox.ts";
import type { StateManager } from "../src/state-manager.ts";
import { freshWorkflowId, stubOf } from "./helpers.ts";

/** Runs `fn` on the SQL storage of an object no workflow uses (its schema migrated). */
function withSql<T>(fn: (sql: SqlStorage) => T): Promise<T> {
  return runInDurableObject(stubOf(freshWorkflowId()), (instance: StateManager) =>
    fn(instance.storage.sql),
  );
}

function stored(sql: SqlStorage, consumer: string): number | undefined {
  const row = sql
    .exec("SELECT acked FROM change_cursors WHERE consumer = ?", consumer)
    .toArray()[0];
  return row === undefined ? undefined : Number(row.acked);
}

describe("the outbox's cursors", () => {
  it("hold an acknowledgement in memory until the next commit writes it, and prune then", async () => {
    const seen = await withSql((sql) => {
      const outbox = new Outbox(sql, ["A", "B"]);
      for (const version of [1, 2, 3]) outbox.record(version);
      outbox.acknowledge("A", 2);
      outbox.acknowledge("B", 1);
      const beforeCommit = { a: stored(sql, "A"), b: stored(sql, "B"), pending: outbox.versions() };
      outbox.record(4);
      const afterCommit = { a: stored(sql, "A"), b: stored(sql, "B"), pending: outbox.versions() };
      outbox.acknowledge("B", 4);
      outbox.flush();
      return { beforeCommit, afterCommit, flushed: outbox.versions(), b: stored(sql, "B") };
    });
    expect(seen.beforeCommit).toEqual({ a: undefined, b: undefined, pending: [1, 2, 3] });
    expect(seen.afterCommit).toEqual({ a: 2, b: 1, pending: [2, 3, 4] });
    expect(seen.flushed).toEqual([3, 4]);
    expect(seen.b).toBe(4);
  });

  it("lose only unwritten acknowledgements to a restart: those versions are delivered again", async () => {
    const seen = await withSql((sql) => {
      const outbox = new Outbox(sql, ["A"]);
      outbox.record(1);
      outbox.acknowledge("A", 1);
      outbox.record(2);
      outbox.acknowledge("A", 2);
      // A new instance over the same storage: what a restart finds.
      const restarted = new Outbox(sql, ["A"]);
      return { cursor: restarted.cursor("A"), redelivered: restarted.after(1, 10) };
    });
    expect(seen).toEqual({ cursor: { acked: 1, failures: 0 }, redelivered: [2] });
  });

  it("write a failure at once, so the backoff it starts survives a restart", async () => {
    const seen = await withSql((sql) => {
      const outbox = new Outbox(sql, ["A"]);
      outbox.record(1);
      outbox.record(2);
      outbox.acknowledge("A", 1);
      const failures = [outbox.failed("A"), outbox.failed("A")];
      return { failures, restarted: new Outbox(sql, ["A"]).cursor("A") };
    });
    expect(seen).toEqual({ failures: [1, 2], restarted: { acked: 1, failures: 2 } });
  });

  it("move a paused consumer along with every commit, holding nothing for it", async () => {
    const seen = await withSql((sql) => {
      const outbox = new Outbox(sql, ["A", "B"]);
      outbox.record(1);
      outbox.record(2);
      outbox.pause("A");
      outbox.acknowledge("B", 2);
      outbox.record(3);
      const paused = { a: outbox.cursor("A").acked, stored: stored(sql, "A") };
      const pending = outbox.versions();
      outbox.resume();
      return { paused, pending, resumed: outbox.paused("A"), after: outbox.after(3, 10) };
    });
    expect(seen).toEqual({ paused: { a: 3, stored: 3 }, pending: [3], resumed: false, after: [] });
  });

  it("record nothing while every consumer is paused, and deliver what follows a resume", async () => {
    const seen = await withSql((sql) => {
      const outbox = new Outbox(sql, ["A"]);
      outbox.record(1);
      outbox.pause("A");
      outbox.record(2);
      // Version 2 wrote nothing: no row, and not even the pause's cursor.
      const whilePaused = { pending: outbox.versions(), stored: stored(sql, "A") };
      outbox.resume();
      outbox.record(3);
      return { whilePaused, next: outbox.after(outbox.cursor("A").acked, 10) };
    });
    expect(seen).toEqual({ whilePaused: { pending: [1], stored: undefined }, next: [3] });
  });
});

import { describe, expect, it } from "vitest";
import {
  afterLinearFailure,
  dueLinearChanges,
  nextLinearDueAt,
  type PendingLinearChange,
  supersedeLinearChanges,
} from "./linear-pending-queue.ts";

const change = (
  seq: number,
  taskId: string,
  extra: Partial<PendingLinearChange> = {},
): PendingLinearChange => ({
  seq,
  taskId,
  kind: "update",
  fields: { title: `v${seq}` },
  attempts: 0,
  notBefore: 0,
  ...extra,
});

describe("dueLinearChanges", () => {
  it("offers only each task's oldest change, in arrival order", () => {
    const queue = [
      change(3, "b"),
      change(1, "a", { kind: "create" }),
      change(2, "a"),
      change(4, "c"),
    ];
    expect(dueLinearChanges(queue, 0).map((c) => c.seq)).toEqual([1, 3, 4]);
  });

  it("holds a task's later changes behind its oldest one while that one waits", () => {
    const queue = [change(1, "a", { notBefore: 500 }), change(2, "a"), change(3, "b")];
    expect(dueLinearChanges(queue, 100).map((c) => c.seq)).toEqual([3]);
    expect(dueLinearChanges(queue, 500).map((c) => c.seq)).toEqual([1, 3]);
  });
});

describe("nextLinearDueAt", () => {
  it("is the earliest retry time among the heads", () => {
    const queue = [change(1, "a", { notBefore: 900 }), change(2, "a", { notBefore: 10 })];
    expect(nextLinearDueAt([...queue, change(3, "b", { notBefore: 700 })])).toBe(700);
    expect(nextLinearDueAt([])).toBeUndefined();
  });
});

describe("afterLinearFailure", () => {
  it("pauses every change until a rate limit's reset", () => {
    const queue = [change(1, "a"), change(2, "b", { notBefore: 9_000 }), change(3, "c")];
    const next = afterLinearFailure(
      queue,
      1,
      { kind: "rate-limited", until: 5_000, message: "ratelimited" },
      1_000,
    );
    expect(next.map((c) => c.notBefore)).toEqual([5_000, 9_000, 5_000]);
    expect(next[0]).toMatchObject({ attempts: 1, lastError: "ratelimited" });
    expect(next[2]?.attempts).toBe(0);
  });

  it("backs off only the failed change, doubling to a 5 min cap", () => {
    let queue = [change(1, "a"), change(2, "b")];
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      queue = afterLinearFailure(queue, 1, { kind: "failed", message: "503" }, 0);
      waits.push(queue[0]?.notBefore ?? -1);
    }
    expect(waits.slice(0, 4)).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(waits.at(-1)).toBe(300_000);
    expect(queue[1]).toEqual(change(2, "b"));
  });

  it("falls back to backoff when a rate limit names no time", () => {
    const [next] = afterLinearFailure(
      [change(1, "a")],
      1,
      { kind: "rate-limited", until: undefined, message: "ratelimited" },
      100,
    );
    expect(next?.notBefore).toBe(1_100);
  });
});

describe("supersedeLinearChanges", () => {
  it("drops older Chorus changes of the members Linear changed, keeping the rest", () => {
    const queue = [
      change(1, "a", { kind: "create", fields: { title: "x", status: "ready" } }),
      change(2, "a", { fields: { title: "y", status: "claimed" } }),
      change(3, "a", { fields: { title: "z" } }),
      change(4, "b", { fields: { title: "w" } }),
    ];
    const { keep, dropped } = supersedeLinearChanges(queue, "a", ["title"]);
    expect(dropped).toEqual([3]);
    expect(keep.map((c) => [c.seq, c.fields])).toEqual([
      [1, { title: "x", status: "ready" }],
      [2, { status: "claimed" }],
      [4, { title: "w" }],
    ]);
  });
});

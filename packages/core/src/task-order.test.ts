import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Task } from "./schemas/task.ts";
import { withDefaults } from "./task-defaults.ts";
import { boardHoldsEveryLease, leasesHeld, selectClaimable } from "./task-order.ts";

const ready = (id: string, extra: Partial<Task> = {}): Task => ({
  id,
  status: "ready",
  createdAt: 10,
  ...extra,
});

describe("selectClaimable", () => {
  it("takes the highest priority first, then the oldest, then by id", () => {
    const tasks = {
      low: ready("low", { priority: "low", createdAt: 1 }),
      newer: ready("newer", { priority: "high", createdAt: 5 }),
      older: ready("older", { priority: "high", createdAt: 2 }),
      b: ready("b", { priority: "critical" }),
      a: ready("a", { priority: "critical" }),
      plain: ready("plain"),
    };
    expect(selectClaimable(tasks, [], 10).map((task) => task.id)).toEqual([
      "a",
      "b",
      "older",
      "newer",
      "plain",
      "low",
    ]);
  });

  it("takes only ready tasks whose every required capability the agent has", () => {
    const tasks = {
      both: ready("both", { requiredCapabilities: ["ts", "review"] }),
      ts: ready("ts", { requiredCapabilities: ["ts"] }),
      held: ready("held", { status: "claimed" }),
      waiting: ready("waiting", { status: "pending" }),
      retrying: ready("retrying", { status: "failed" }),
    };
    expect(selectClaimable(tasks, ["ts"], 10).map((task) => task.id)).toEqual(["ts"]);
    expect(selectClaimable(tasks, ["review", "ts"], 10).map((task) => task.id)).toEqual([
      "both",
      "ts",
    ]);
  });

  it("picks what sorting every eligible task by priority, age and id would", () => {
    // The rule as first written: a full sort over the tasks with their defaults filled in.
    const rank = { critical: 0, high: 1, normal: 2, low: 3 } as const;
    const reference = (tasks: Record<string, Task>, offered: string[], max: number) =>
      Object.values(tasks)
        .filter(
          (task) =>
            task.status === "ready" &&
            (task.requiredCapabilities ?? []).every((capability) => offered.includes(capability)),
        )
        .map(withDefaults)
        .sort(
          (a, b) =>
            rank[a.priority] - rank[b.priority] ||
            a.createdAt - b.createdAt ||
            (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
        )
        .slice(0, Math.max(0, max))
        .map((task) => task.id);
    const task = fc.record(
      {
        status: fc.constantFrom("ready", "ready", "pending", "claimed"),
        priority: fc.constantFrom("critical", "high", "normal", "low"),
        createdAt: fc.integer({ min: 0, max: 5 }),
        requiredCapabilities: fc.subarray(["ts", "go"]),
      },
      { requiredKeys: ["status"] },
    );
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 3 }), task, { maxKeys: 40 }),
        fc.subarray(["ts", "go"]),
        fc.integer({ min: -1, max: 12 }),
        (drawn, offered, max) => {
          const tasks: Record<string, Task> = {};
          for (const [id, body] of Object.entries(drawn)) tasks[id] = { id, ...body } as Task;
          const chosen = selectClaimable(tasks, offered, max).map((picked) => picked.id);
          expect(chosen).toEqual(reference(tasks, offered, max));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it("takes at most max", () => {
    const tasks = { a: ready("a"), b: ready("b"), c: ready("c") };
    expect(selectClaimable(tasks, [], 2)).toHaveLength(2);
    expect(selectClaimable(tasks, [], 0)).toEqual([]);
  });
});

describe("leasesHeld", () => {
  const claimed = (id: string, assignee: string, expiresAt: number): Task =>
    ready(id, { status: "claimed", assignee, lease: { id: `l-${id}`, expiresAt } });

  it("counts the agent's claimed tasks whose lease is still live", () => {
    const tasks = {
      mine: claimed("mine", "ag_a", 200),
      alsoMine: claimed("alsoMine", "ag_a", 101),
      ranOut: claimed("ranOut", "ag_a", 100),
      theirs: claimed("theirs", "ag_b", 500),
      done: ready("done", { status: "completed", assignee: "ag_a" }),
      open: ready("open"),
    };
    expect(leasesHeld(tasks, "ag_a", 100)).toBe(2);
    expect(leasesHeld(tasks, "ag_b", 100)).toBe(1);
    expect(leasesHeld(tasks, "ag_c", 100)).toBe(0);
  });
});

describe("boardHoldsEveryLease", () => {
  it("holds only for an agent limited to that one workflow", () => {
    expect(boardHoldsEveryLease(["wf"], "wf")).toBe(true);
    expect(boardHoldsEveryLease(["other"], "wf")).toBe(false);
    expect(boardHoldsEveryLease(["wf", "other"], "wf")).toBe(false);
    expect(boardHoldsEveryLease(null, "wf")).toBe(false);
    expect(boardHoldsEveryLease(undefined, "wf")).toBe(false);
  });
});

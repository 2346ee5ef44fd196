import { describe, expect, it } from "vitest";
import type { Task } from "./schemas/task.ts";
import {
  cancelTask,
  claimTask,
  completeTask,
  dueTransition,
  expireTask,
  failTask,
  heartbeatTask,
  leaseOf,
  retryTask,
} from "./task-transitions.ts";
import { catchError } from "./testing/catch-error.ts";

const ready: Task = {
  id: "t1",
  type: "build",
  status: "ready",
  attempt: 0,
  maxAttempts: 2,
  leaseMs: 1000,
  createdAt: 0,
  updatedAt: 0,
};
const claimed = claimTask(ready, { agentId: "a1", leaseId: "L1", now: 100 });

describe("claimTask", () => {
  it("starts the next attempt under a lease of the task's length", () => {
    expect(claimed).toMatchObject({
      status: "claimed",
      attempt: 1,
      assignee: "a1",
      lease: { id: "L1", expiresAt: 1100 },
      updatedAt: 100,
    });
    expect(leaseOf(claimed)).toEqual({ id: "L1", attempt: 1, expiresAt: 1100 });
  });

  it("takes a lease length from the claim", () => {
    const long = claimTask(ready, { agentId: "a1", leaseId: "L", leaseMs: 5000, now: 0 });
    expect(long.lease?.expiresAt).toBe(5000);
  });

  it("refuses a task that is not ready", () => {
    expect(
      catchError(() => claimTask(claimed, { agentId: "a2", leaseId: "L2", now: 1 })).code,
    ).toBe("CONFLICT");
  });
});

describe("heartbeatTask", () => {
  it("extends the current lease from now", () => {
    expect(heartbeatTask(claimed, { leaseId: "L1", now: 600 }).lease).toEqual({
      id: "L1",
      expiresAt: 1600,
    });
  });

  it("refuses another or a run-out lease, naming the attempt", () => {
    const other = catchError(() => heartbeatTask(claimed, { leaseId: "L9", now: 600 }));
    expect([other.code, other.path, other.details]).toEqual([
      "LEASE_EXPIRED",
      "/leaseId",
      { taskId: "t1", attempt: 1, status: "claimed" },
    ]);
    expect(catchError(() => heartbeatTask(claimed, { leaseId: "L1", now: 1100 })).code).toBe(
      "LEASE_EXPIRED",
    );
  });
});

describe("completeTask", () => {
  it("completes once; the same lease again is a replay of the first completion", () => {
    const done = completeTask(claimed, { leaseId: "L1", result: { ok: 1 }, now: 200 });
    expect(done).toMatchObject({
      replayed: false,
      task: { status: "completed", result: { ok: 1 } },
    });
    const again = completeTask(done.task, { leaseId: "L1", result: { ok: 2 }, now: 300 });
    expect(again).toEqual({ task: done.task, replayed: true });
  });

  it("refuses a stale lease after the task was reclaimed", () => {
    const expired = dueTransition(claimed, 1100);
    const released = expired === undefined ? undefined : dueTransition(expired, 99_999);
    expect(released?.status).toBe("ready");
    const reclaimed = claimTask(released ?? ready, { agentId: "a2", leaseId: "L2", now: 100_000 });
    const error = catchError(() => completeTask(reclaimed, { leaseId: "L1", now: 100_001 }));
    expect([error.code, error.details]).toEqual([
      "LEASE_EXPIRED",
      { taskId: "t1", attempt: 2, status: "claimed" },
    ]);
  });
});

describe("failTask", () => {
  it("backs off 1 s, then dead-letters once maxAttempts attempts ended", () => {
    const failed = failTask(claimed, { leaseId: "L1", error: "boom", now: 500 });
    expect(failed).toMatchObject({ status: "failed", retryAt: 1500, error: "boom" });
    expect(failed.lease).toBeUndefined();
    expect(dueTransition(failed, 1499)).toBeUndefined();
    const again = dueTransition(failed, 1500);
    expect(again?.status).toBe("ready");
    const second = claimTask(again ?? ready, { agentId: "a1", leaseId: "L2", now: 2000 });
    expect(failTask(second, { leaseId: "L2", error: "boom", now: 2100 })).toMatchObject({
      status: "dead",
      attempt: 2,
    });
  });

  it("dead-letters at once when the failure is not retryable", () => {
    expect(failTask(claimed, { leaseId: "L1", error: "x", retryable: false, now: 1 }).status).toBe(
      "dead",
    );
  });

  it("doubles the backoff with each attempt of the budget", () => {
    const many = { ...claimed, maxAttempts: 10, attempt: 3 };
    expect(failTask(many, { leaseId: "L1", error: "x", now: 0 }).retryAt).toBe(4000);
  });
});

describe("expireTask", () => {
  it("counts an expired lease as a failed attempt", () => {
    expect(dueTransition(claimed, 1099)).toBeUndefined();
    expect(dueTransition(claimed, 1100)).toMatchObject({
      status: "failed",
      error: { code: "LEASE_EXPIRED" },
      retryAt: 2100,
    });
    expect(expireTask({ ...claimed, attempt: 2 }, 5).status).toBe("dead");
  });
});

describe("retryTask", () => {
  it("gives a dead task a fresh budget while attempt keeps counting", () => {
    const dead = failTask(claimed, { leaseId: "L1", error: "x", retryable: false, now: 1 });
    const revived = retryTask(dead, 2);
    expect(revived).toMatchObject({ status: "ready", attempt: 1, attemptBase: 1 });
    const next = claimTask(revived, { agentId: "a1", leaseId: "L2", now: 3 });
    expect(next.attempt).toBe(2);
    expect(failTask(next, { leaseId: "L2", error: "x", now: 4 }).status).toBe("failed");
  });

  it("refuses a task that is not dead", () => {
    expect(catchError(() => retryTask(ready, 1)).code).toBe("CONFLICT");
  });
});

describe("cancelTask", () => {
  it("cancels a claimed task and voids its lease", () => {
    const { task } = cancelTask(claimed, 5);
    expect(task.status).toBe("cancelled");
    expect(catchError(() => completeTask(task, { leaseId: "L1", now: 6 })).code).toBe(
      "LEASE_EXPIRED",
    );
    expect(cancelTask(task, 7)).toEqual({ task, replayed: true });
  });

  it("refuses a completed task", () => {
    const done = completeTask(claimed, { leaseId: "L1", now: 2 }).task;
    expect(catchError(() => cancelTask(done, 3)).code).toBe("CONFLICT");
  });
});

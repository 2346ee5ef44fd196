import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChorusError } from "./errors.ts";
import type { Task } from "./schemas/task.ts";
import {
  claimTask,
  completeTask,
  dueTransition,
  failTask,
  heartbeatTask,
  retryTask,
} from "./task-transitions.ts";

// One task, driven by random steps of several agents and the clock; every lease ever granted
// is remembered, so the laws can be checked against each of them after every step.
const step = fc.oneof(
  fc.record({ kind: fc.constant("claim" as const), agent: fc.nat(3) }),
  fc.record({ kind: fc.constant("heartbeat" as const), lease: fc.nat(8) }),
  fc.record({ kind: fc.constant("complete" as const), lease: fc.nat(8) }),
  fc.record({
    kind: fc.constant("fail" as const),
    lease: fc.nat(8),
    retryable: fc.boolean(),
  }),
  fc.record({ kind: fc.constant("tick" as const), ms: fc.integer({ min: 0, max: 3000 }) }),
  fc.record({ kind: fc.constant("retry" as const) }),
);

function refused(fn: () => unknown): boolean {
  try {
    fn();
    return false;
  } catch (error) {
    if (error instanceof ChorusError) return true;
    throw error;
  }
}

describe("task board laws", () => {
  it("never lets two leases hold a task, completes once, and only grows attempt", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        let task: Task = {
          id: "t",
          status: "ready",
          maxAttempts: 3,
          leaseMs: 1000,
          attempt: 0,
          createdAt: 0,
        };
        let now = 0;
        const leases: string[] = [];
        let completions = 0;
        for (const s of steps) {
          const attemptBefore = task.attempt ?? 0;
          const leaseId =
            "lease" in s ? (leases[s.lease % Math.max(1, leases.length)] ?? "none") : "";
          switch (s.kind) {
            case "claim":
              if (task.status === "ready") {
                const id = `L${leases.length}`;
                task = claimTask(task, { agentId: `a${s.agent}`, leaseId: id, now });
                leases.push(id);
              }
              break;
            case "heartbeat":
              refused(() => {
                task = heartbeatTask(task, { leaseId, now });
              });
              break;
            case "complete":
              refused(() => {
                const done = completeTask(task, { leaseId, now });
                if (!done.replayed) completions++;
                task = done.task;
              });
              break;
            case "fail":
              refused(() => {
                task = failTask(task, { leaseId, error: "x", retryable: s.retryable, now });
              });
              break;
            case "tick":
              now += s.ms;
              task = dueTransition(task, now) ?? task;
              break;
            case "retry":
              refused(() => {
                task = retryTask(task, now);
              });
              break;
          }
          expect(task.attempt ?? 0).toBeGreaterThanOrEqual(attemptBefore);
          // At most one lease is accepted, and only while the task is claimed under it.
          const live = leases.filter(
            (id) => !refused(() => heartbeatTask(task, { leaseId: id, now })),
          );
          expect(live.length).toBeLessThanOrEqual(1);
          if (live.length === 1) expect(task.lease?.id).toBe(live[0]);
          expect(completions).toBeLessThanOrEqual(1);
          if (completions === 1) expect(task.status).toBe("completed");
        }
      }),
      { numRuns: 300 },
    );
  });
});

import { retryDelay } from "./backoff.ts";
import { ChorusError } from "./errors.ts";
import type { JsonValue } from "./json.ts";
import type { Task, TaskError } from "./schemas/task.ts";
import type { LeaseGrant } from "./schemas/task-claim.ts";
import { type BoardTask, withDefaults } from "./task-defaults.ts";

/**
 * Claims a ready task: the next attempt, held by `agentId` under a new lease.
 * @param task a `ready` task
 * @param claim who claims it, the new lease's id, its length (the task's `leaseMs` by default)
 *   and the current time
 * @returns the claimed task
 * @throws ChorusError `CONFLICT` when the task is not `ready`
 * @example
 * claimTask(task, { agentId: "a1", leaseId: crypto.randomUUID(), now: Date.now() });
 */
export function claimTask(
  task: Task,
  claim: { agentId: string; leaseId: string; leaseMs?: number | undefined; now: number },
): Task {
  const current = withDefaults(task);
  if (current.status !== "ready") {
    throw new ChorusError("CONFLICT", `task ${task.id} is ${task.status}, not ready`, {
      path: "/taskId",
    });
  }
  const { retryAt: _retryAt, ...rest } = current;
  return {
    ...rest,
    status: "claimed",
    attempt: current.attempt + 1,
    assignee: claim.agentId,
    lease: { id: claim.leaseId, expiresAt: claim.now + (claim.leaseMs ?? current.leaseMs) },
    updatedAt: claim.now,
  };
}

/**
 * @param task a task
 * @returns its lease as the holder sees it, while it is `claimed`
 */
export function leaseOf(task: Task): LeaseGrant | undefined {
  if (task.status !== "claimed" || task.lease === undefined) return undefined;
  return { id: task.lease.id, attempt: task.attempt ?? 0, expiresAt: task.lease.expiresAt };
}

/**
 * Checks that `leaseId` is the task's current lease and has not run out.
 * @throws ChorusError `LEASE_EXPIRED` at `/leaseId`, naming the task's current attempt and status
 */
export function assertLease(task: Task, leaseId: string, now: number): void {
  const lease = task.lease;
  if (task.status === "claimed" && lease?.id === leaseId && lease.expiresAt > now) return;
  const why =
    task.status === "claimed" && lease?.id === leaseId
      ? "ran out"
      : `is not the current one (task ${task.id} is ${task.status}, attempt ${task.attempt ?? 0})`;
  throw new ChorusError("LEASE_EXPIRED", `lease ${leaseId} ${why}`, {
    path: "/leaseId",
    details: { taskId: task.id, attempt: task.attempt ?? 0, status: task.status },
  });
}

/**
 * Extends a lease: it now runs out `leaseMs` (the task's, by default) from now.
 * @returns the task with the lease extended
 * @throws ChorusError `LEASE_EXPIRED` when the lease is not current
 */
export function heartbeatTask(
  task: Task,
  beat: { leaseId: string; leaseMs?: number | undefined; now: number },
): Task {
  assertLease(task, beat.leaseId, beat.now);
  const current = withDefaults(task);
  return {
    ...current,
    lease: { id: beat.leaseId, expiresAt: beat.now + (beat.leaseMs ?? current.leaseMs) },
    updatedAt: beat.now,
  };
}

/**
 * Completes a task, exactly once. The lease that completed it may complete it again: that is a
 * replay (an agent whose acknowledgement was lost), answered with the first completion.
 * @returns the completed task, and whether this was a replay
 * @throws ChorusError `LEASE_EXPIRED` for any other or a stale lease
 */
export function completeTask(
  task: Task,
  done: { leaseId: string; result?: JsonValue | undefined; now: number },
): { task: Task; replayed: boolean } {
  if (task.status === "completed" && task.lease?.id === done.leaseId) {
    return { task, replayed: true };
  }
  assertLease(task, done.leaseId, done.now);
  const { error: _error, retryAt: _retryAt, ...rest } = withDefaults(task);
  const completed: Task = { ...rest, status: "completed", updatedAt: done.now };
  if (done.result !== undefined) completed.result = done.result;
  return { task: completed, replayed: false };
}

/**
 * Ends the current attempt without completion: `failed` until a backoff has passed (1 s doubling
 * per attempt of the budget, at most 5 min), or `dead` once the budget of `maxAttempts` is spent
 * or at once when the failure is not retryable.
 * @returns the failed or dead task
 * @throws ChorusError `LEASE_EXPIRED` when the lease is not current
 */
export function failTask(
  task: Task,
  failure: { leaseId: string; error: TaskError; retryable?: boolean | undefined; now: number },
): Task {
  assertLease(task, failure.leaseId, failure.now);
  return endAttempt(withDefaults(task), failure.error, failure.retryable ?? true, failure.now);
}

/**
 * Ends an attempt whose lease ran out (no heartbeat in time, or its agent went offline): a
 * failed attempt like any other.
 * @param task a `claimed` task
 * @param now the current time
 * @param why what to record as the error
 * @returns the failed or dead task
 */
export function expireTask(task: Task, now: number, why = "the lease expired"): Task {
  return endAttempt(withDefaults(task), { message: why, code: "LEASE_EXPIRED" }, true, now);
}

function endAttempt(task: BoardTask, error: TaskError, retryable: boolean, now: number): Task {
  const { lease: _lease, retryAt: _retryAt, ...rest } = task;
  const ended = task.attempt - task.attemptBase;
  if (!retryable || ended >= task.maxAttempts) {
    return { ...rest, status: "dead", error, updatedAt: now };
  }
  return { ...rest, status: "failed", error, retryAt: now + retryDelay(ended), updatedAt: now };
}

/**
 * @param task a task
 * @returns when the board must next act on it by itself: its lease's end while `claimed`, its
 *   backoff's end while `failed`; otherwise never
 */
export function dueAt(task: Task): number | undefined {
  if (task.status === "claimed") return task.lease?.expiresAt;
  if (task.status === "failed") return task.retryAt ?? 0;
  return undefined;
}

/**
 * What the board does by itself to a task whose time has come: an expired lease ends the attempt,
 * a finished backoff makes the task `ready` again.
 * @param task a task
 * @param now the current time
 * @returns the task after that, or `undefined` when nothing is due
 */
export function dueTransition(task: Task, now: number): Task | undefined {
  const due = dueAt(task);
  if (due === undefined || due > now) return undefined;
  if (task.status === "claimed") return expireTask(task, now);
  const { retryAt: _retryAt, ...rest } = withDefaults(task);
  return { ...rest, status: "ready", updatedAt: now };
}

/**
 * Gives a dead task a fresh budget of `maxAttempts` attempts; `attempt` keeps counting.
 * @returns the ready task
 * @throws ChorusError `CONFLICT` when the task is not `dead`
 */
export function retryTask(task: Task, now: number): Task {
  const current = withDefaults(task);
  if (current.status !== "dead") {
    throw new ChorusError(
      "CONFLICT",
      `task ${task.id} is ${task.status}; only a dead task is retried`,
      {
        path: "/taskId",
      },
    );
  }
  return { ...current, status: "ready", attemptBase: current.attempt, updatedAt: now };
}

/**
 * Cancels a task that has not completed; a lease it was held under stops counting.
 * @returns the cancelled task, and whether it was cancelled already
 * @throws ChorusError `CONFLICT` when the task is `completed`
 */
export function cancelTask(task: Task, now: number): { task: Task; replayed: boolean } {
  if (task.status === "cancelled") return { task, replayed: true };
  if (task.status === "completed") {
    throw new ChorusError("CONFLICT", `task ${task.id} is completed and cannot be cancelled`, {
      path: "/taskId",
    });
  }
  const { lease: _lease, retryAt: _retryAt, ...rest } = withDefaults(task);
  return { task: { ...rest, status: "cancelled", updatedAt: now }, replayed: false };
}

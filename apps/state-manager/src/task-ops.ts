import {
  ChorusError,
  cancelTask as cancelled,
  claimTask,
  completeTask as completed,
  createTask as created,
  dueTransition,
  expireTask,
  failTask as failed,
  heartbeatTask,
  leaseOf,
  leasesHeld,
  releaseDependents,
  retryTask as retried,
  type StateVersion,
  selectClaimable,
  type Task,
  type TaskChange,
  type TaskClaims,
  type TaskList,
} from "@chorus/core";
import {
  type Board,
  commitTasks,
  readBoard,
  requireTask,
  type TaskContext,
} from "./task-commit.ts";
import type {
  ClaimTasksInput,
  CompleteTaskInput,
  CreateTaskInput,
  FailTaskInput,
  HeartbeatLeaseInput,
  ListTasksInput,
  ReleaseAgentLeasesInput,
  TaskActionInput,
  TaskRef,
} from "./task-inputs.ts";
import { VersionStore } from "./version-store.ts";

/** Who commits what the board does by itself (expiries, backoff ends). */
const COORDINATOR = "coordinator";

/**
 * Commits what is due on the board by `now` (expired leases, finished backoffs) as one version
 * by `coordinator`. Every task write runs this first, so a late alarm never lets a stale lease
 * act; the alarm runs it for a board nobody touches.
 * @returns how many tasks it changed
 */
export async function applyDueTimers(ctx: TaskContext, now = ctx.now()): Promise<number> {
  const keys = ctx.timers.due("task", now);
  if (keys.length === 0) return 0;
  const board = await readBoard(ctx);
  const changed: Task[] = [];
  for (const key of keys) {
    const task = Object.hasOwn(board.tasks, key) ? board.tasks[key] : undefined;
    const next = task === undefined ? undefined : dueTransition(task, now);
    // A timer the state no longer backs (a task edited by hand, or gone) is dropped.
    if (next === undefined) ctx.timers.clear("task", key);
    else changed.push(next);
  }
  if (changed.length === 0) return 0;
  const expired = changed.filter((task) => task.status !== "ready").map((task) => task.id);
  const released = changed.filter((task) => task.status === "ready").map((task) => task.id);
  await commitTasks(ctx, board, {
    tasks: changed,
    author: COORDINATOR,
    description: [
      expired.length > 0 ? `Expire the leases of: ${expired.join(", ")}` : "",
      released.length > 0 ? `Release after backoff: ${released.join(", ")}` : "",
    ]
      .filter((part) => part !== "")
      .join("; "),
  });
  return changed.length;
}

/** Creates a task; the same id and body again is a replay. */
export async function createTask(ctx: TaskContext, input: CreateTaskInput): Promise<TaskChange> {
  await applyDueTimers(ctx);
  const { workflowId: _w, author, ...body } = input;
  const id = body.id ?? crypto.randomUUID();
  const board = await readBoard(ctx);
  const now = ctx.now();
  const { task, replayed } = created(board.tasks, { ...body, id }, now);
  const key = `task:create:${id}`;
  if (replayed) return { task, version: replayedVersion(ctx, board, key), replayed: true };
  const version = await commitTasks(ctx, board, {
    tasks: [task],
    author,
    description: `Create task ${id}`,
    idempotencyKey: key,
  });
  return { task, version };
}

/** The tasks, oldest first, optionally only of a status or requiring a capability. */
export async function listTasks(ctx: TaskContext, input: ListTasksInput): Promise<TaskList> {
  const { tasks } = await readBoard(ctx);
  const chosen = Object.values(tasks).filter(
    (task) =>
      (input.status === undefined || task.status === input.status) &&
      (input.capability === undefined ||
        (task.requiredCapabilities ?? []).includes(input.capability)),
  );
  chosen.sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0) || (a.id < b.id ? -1 : 1));
  return { tasks: chosen };
}

/** One task. */
export async function getTask(ctx: TaskContext, input: TaskRef): Promise<Task> {
  return requireTask(await readBoard(ctx), input.taskId);
}

/**
 * Claims up to `max` ready tasks the agent can do, each under a new lease, in one commit. With
 * `taskId` only that task is a candidate: it is claimed if it is ready and the agent has its
 * capabilities, else nothing is (`NOT_FOUND` at `/taskId` when it does not exist).
 */
export async function claimTasks(ctx: TaskContext, input: ClaimTasksInput): Promise<TaskClaims> {
  await applyDueTimers(ctx);
  const board = await readBoard(ctx);
  const now = ctx.now();
  const candidates =
    input.taskId === undefined ? board.tasks : { [input.taskId]: requireTask(board, input.taskId) };
  const { id, capabilities, maxConcurrency } = input.agent;
  const room =
    maxConcurrency === undefined ? input.max : maxConcurrency - leasesHeld(board.tasks, id, now);
  const chosen = selectClaimable(candidates, capabilities, Math.min(input.max, room));
  if (chosen.length === 0) return { claims: [] };
  const claimed = chosen.map((task) =>
    claimTask(task, {
      agentId: input.agent.id,
      leaseId: crypto.randomUUID(),
      leaseMs: input.leaseMs,
      now,
    }),
  );
  await commitTasks(ctx, board, {
    tasks: claimed,
    author: `agent:${input.agent.id}`,
    description: describe([[`Claim for agent ${input.agent.id}`, claimed.map((t) => t.id)]]),
  });
  return {
    claims: claimed.flatMap((task) => {
      const lease = leaseOf(task);
      return lease === undefined ? [] : [{ task, lease }];
    }),
  };
}

/** Extends a task's lease. */
export async function heartbeatLease(
  ctx: TaskContext,
  input: HeartbeatLeaseInput,
): Promise<TaskChange> {
  await applyDueTimers(ctx);
  const board = await readBoard(ctx);
  const task = heartbeatTask(requireHeld(board, input), {
    leaseId: input.leaseId,
    leaseMs: input.leaseMs,
    now: ctx.now(),
  });
  const version = await commitTasks(ctx, board, {
    tasks: [task],
    author: holder(task),
    description: `Extend the lease of task ${task.id}`,
  });
  return { task, version };
}

/** Completes a task once, releasing the tasks that waited on it; the same lease again replays. */
export async function completeTask(
  ctx: TaskContext,
  input: CompleteTaskInput,
): Promise<TaskChange> {
  await applyDueTimers(ctx);
  const board = await readBoard(ctx);
  const now = ctx.now();
  const { task, replayed } = completed(requireHeld(board, input), {
    leaseId: input.leaseId,
    result: input.result,
    now,
  });
  const key = `task:complete:${task.id}:${input.leaseId}`;
  if (replayed) return { task, version: replayedVersion(ctx, board, key), replayed: true };
  const released = releaseDependents({ ...board.tasks, [task.id]: task }, now);
  const version = await commitTasks(ctx, board, {
    tasks: [task, ...released],
    author: holder(task),
    description: describe([
      [`Complete task ${task.id} (attempt ${task.attempt ?? 0})`, []],
      ["and make ready", released.map((t) => t.id)],
    ]),
    idempotencyKey: key,
  });
  return { task, version };
}

/** Ends a task's attempt in failure: backoff then ready, or dead. */
export async function failTask(ctx: TaskContext, input: FailTaskInput): Promise<TaskChange> {
  await applyDueTimers(ctx);
  const board = await readBoard(ctx);
  const task = failed(requireHeld(board, input), {
    leaseId: input.leaseId,
    error: input.error,
    retryable: input.retryable,
    now: ctx.now(),
  });
  const version = await commitTasks(ctx, board, {
    tasks: [task],
    author: holder(task),
    description: `Fail task ${task.id} (attempt ${task.attempt ?? 0}): ${task.status}`,
  });
  return { task, version };
}

/** Gives a dead task a fresh budget of attempts. */
export async function retryTask(ctx: TaskContext, input: TaskActionInput): Promise<TaskChange> {
  await applyDueTimers(ctx);
  const board = await readBoard(ctx);
  const task = retried(requireTask(board, input.taskId), ctx.now());
  const version = await commitTasks(ctx, board, {
    tasks: [task],
    author: input.author,
    description: `Retry task ${task.id}`,
  });
  return { task, version };
}

/** Cancels a task; cancelling it again is a replay. */
export async function cancelTask(ctx: TaskContext, input: TaskActionInput): Promise<TaskChange> {
  await applyDueTimers(ctx);
  const board = await readBoard(ctx);
  const { task, replayed } = cancelled(requireTask(board, input.taskId), ctx.now());
  const key = `task:cancel:${task.id}`;
  if (replayed) return { task, version: replayedVersion(ctx, board, key), replayed: true };
  const version = await commitTasks(ctx, board, {
    tasks: [task],
    author: input.author,
    description: `Cancel task ${task.id}`,
    idempotencyKey: key,
  });
  return { task, version };
}

/**
 * Expires every lease an agent holds here at once (it went offline): each is a failed attempt,
 * committed by `coordinator` in one version.
 * @returns the tasks as they are after it
 */
export async function releaseAgentLeases(
  ctx: TaskContext,
  input: ReleaseAgentLeasesInput,
): Promise<TaskList> {
  await applyDueTimers(ctx);
  const board = await readBoard(ctx);
  const now = ctx.now();
  const held = Object.values(board.tasks).filter(
    (task) => task.status === "claimed" && task.assignee === input.agentId,
  );
  if (held.length === 0) return { tasks: [] };
  const tasks = held.map((task) => expireTask(task, now, `agent ${input.agentId} went offline`));
  await commitTasks(ctx, board, {
    tasks,
    author: COORDINATOR,
    description: describe([
      [`Expire the leases of agent ${input.agentId} on`, held.map((t) => t.id)],
    ]),
  });
  return { tasks };
}

/**
 * The task a lease names, refusing an agent that uses another agent's current lease
 * (`FORBIDDEN`); a lease that is not current is left to the transition (`LEASE_EXPIRED`).
 */
function requireHeld(
  board: Board,
  input: { taskId: string; leaseId: string; agentId?: string | undefined },
): Task {
  const task = requireTask(board, input.taskId);
  if (
    input.agentId !== undefined &&
    task.lease?.id === input.leaseId &&
    task.assignee !== input.agentId
  ) {
    throw new ChorusError(
      "FORBIDDEN",
      `lease ${input.leaseId} is not agent ${input.agentId}'s: it acts only as itself`,
      { path: "/leaseId" },
    );
  }
  return task;
}

// The agent that holds (or last held) a task authors what it does with it.
function holder(task: Task): string {
  return task.assignee ? `agent:${task.assignee}` : COORDINATOR;
}

// The version a replay answers: the one remembered under its key, else (the key expired) the head.
function replayedVersion(ctx: TaskContext, board: Board, key: string): StateVersion {
  const prior = ctx.idempotency.get<{ version: StateVersion }>(key);
  if (prior !== undefined) return prior.version;
  return VersionStore.toStateVersion(ctx.versions.require(board.head), ctx.workflowId());
}

// A change description such as "Claim for agent a1: t1, t2"; empty parts are left out.
function describe(parts: ReadonlyArray<readonly [string, readonly string[]]>): string {
  const text = parts
    .filter(([, ids], index) => index === 0 || ids.length > 0)
    .map(([label, ids]) => (ids.length === 0 ? label : `${label}: ${ids.join(", ")}`))
    .join(" ")
    .trim();
  // StateVersion's changeDescription is at most 1000 characters.
  return text.length > 1000 ? `${text.slice(0, 997)}...` : text;
}

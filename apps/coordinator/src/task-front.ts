import { AgentId, type Result, type TaskChange, unwrap, validateOrThrow } from "@chorus/core";
import * as v from "valibot";
import type { AgentRegistry } from "./agent-registry.ts";
import type { CountedAgents } from "./counted-agents.ts";
import type { PushCandidate } from "./push-candidates.ts";
import type { TaskBoard } from "./task-board.ts";
import {
  CancelTaskInput,
  type CancelTaskRequest,
  ClaimInput,
  type ClaimRequest,
  CompleteTaskInput,
  type CompleteTaskRequest,
  CreateTaskInput,
  type CreateTaskRequest,
  FailTaskInput,
  type FailTaskRequest,
  HeartbeatTaskInput,
  type HeartbeatTaskRequest,
  LeaseEndedInput,
  type LeaseEndedRequest,
} from "./task-inputs.ts";

/** The agent shard methods the task front uses. */
export type AgentShard = Pick<
  AgentRegistry,
  "claimTasks" | "updateLease" | "endLease" | "endTaskLease" | "pushCandidates" | "touchAgent"
>;

/** Where the task front finds agents and tasks. */
export interface TaskFrontDeps {
  board: TaskBoard;
  shardOf(agentId: string): AgentShard;
  allShards(): AgentShard[];
  /** agents whose capacity their task board counts, as this isolate has seen them claim */
  counted: CountedAgents;
  /** keeps work running once the answer has gone (the call's `waitUntil`) */
  defer(pending: Promise<unknown>): void;
}

/**
 * Claims ready tasks for an agent through its shard (`AgentRegistry.claimTasks`): none when it
 * is draining or at `maxConcurrency`, which the task board counts for an agent of one workflow
 * and the shard reserves for any other.
 */
export async function claimTasks(deps: TaskFrontDeps, input: ClaimRequest) {
  const { workflowId, agentId, max, leaseMs } = validateOrThrow(ClaimInput, input);
  const claimed = unwrap(
    await deps
      .shardOf(agentId)
      .claimTasks({ agentId, workflowId, max, ...(leaseMs === undefined ? {} : { leaseMs }) }),
  );
  if (claimed.counted) deps.counted.add(agentId);
  return { claims: claimed.claims };
}

/** Extends a lease on the task board, then on the agent's shard. */
export async function heartbeatTask(deps: TaskFrontDeps, input: HeartbeatTaskRequest) {
  const { workflowId, taskId, agentId, leaseId, leaseMs } = validateOrThrow(
    HeartbeatTaskInput,
    input,
  );
  const value = unwrap(
    await deps.board.heartbeatLease({
      workflowId,
      taskId,
      leaseId,
      ...(leaseMs === undefined ? {} : { leaseMs }),
      ...(agentId === undefined ? {} : { agentId }),
    }),
  );
  const expiresAt = value.task.lease?.expiresAt;
  const holder = holderOf(value.task.assignee);
  if (holder !== undefined) {
    await note(deps.shardOf(holder).updateLease({ agentId: holder, leaseId, expiresAt }));
  }
  return value;
}

/** Completes a task on the task board, then frees the agent's slot. */
export async function completeTask(deps: TaskFrontDeps, input: CompleteTaskRequest) {
  const { workflowId, taskId, agentId, leaseId, result } = validateOrThrow(
    CompleteTaskInput,
    input,
  );
  const outcome = await deps.board.completeTask({
    workflowId,
    taskId,
    leaseId,
    ...(result === undefined ? {} : { result }),
    ...(agentId === undefined ? {} : { agentId }),
  });
  return endLease(deps, agentId, leaseId, outcome);
}

/** Fails a task's attempt on the task board, then frees the agent's slot. */
export async function failTask(deps: TaskFrontDeps, input: FailTaskRequest) {
  const { workflowId, taskId, agentId, leaseId, error, retryable } = validateOrThrow(
    FailTaskInput,
    input,
  );
  const outcome = await deps.board.failTask({
    workflowId,
    taskId,
    leaseId,
    error,
    ...(retryable === undefined ? {} : { retryable }),
    ...(agentId === undefined ? {} : { agentId }),
  });
  return endLease(deps, agentId, leaseId, outcome);
}

/**
 * Forgets a lease the task board ended (completed, failed, found expired) for an agent whose
 * capacity the board counts, when the gateway took that call to the board itself: bookkeeping
 * only, and hearing from the agent, so the shard queues it after answering.
 */
export async function leaseEnded(deps: TaskFrontDeps, input: LeaseEndedRequest): Promise<null> {
  const { agentId, leaseId } = validateOrThrow(LeaseEndedInput, input);
  return unwrap(await deps.shardOf(agentId).endLease({ agentId, leaseId }));
}

/**
 * Cancels a task on the task board; when an agent held it, the agent's shard forgets the lease
 * at once, so the slot is free before the lease would have run out.
 */
export async function cancelTask(deps: TaskFrontDeps, input: CancelTaskRequest) {
  const { workflowId, taskId, author } = validateOrThrow(CancelTaskInput, input);
  const change = unwrap(await deps.board.cancelTask({ workflowId, taskId, author }));
  // The cancelled task keeps its last assignee; a lease it no longer holds is simply not found.
  const agentId = holderOf(change.task.assignee);
  if (change.replayed !== true && agentId !== undefined) {
    await note(deps.shardOf(agentId).endTaskLease({ agentId, workflowId, taskId }));
  }
  return change;
}

/**
 * Creates a task; with `assign: "push"` claims it at once for the least-loaded live agent that
 * has its capabilities and a free slot (fewest leases held, then most room, then id). With no
 * such agent, or a task still waiting on its dependencies, it stays on the board for a pull.
 */
export async function createTask(deps: TaskFrontDeps, input: CreateTaskRequest) {
  const { workflowId, task, author, assign } = validateOrThrow(CreateTaskInput, input);
  const created = unwrap(await deps.board.createTask({ ...task, workflowId, author }));
  if (assign !== "push" || created.replayed === true) return created;
  const capabilities = created.task.requiredCapabilities ?? [];
  const found = await Promise.all(
    deps.allShards().map((shard) => shard.pushCandidates({ workflowId, capabilities })),
  );
  const candidates = found.flatMap((page) => (page.ok ? page.value : [])).sort(leastLoaded);
  for (const candidate of candidates) {
    const outcome = await deps.shardOf(candidate.agentId).claimTasks({
      agentId: candidate.agentId,
      workflowId,
      max: 1,
      taskId: created.task.id,
    });
    // No room after all (another claim took it since the candidates were listed): the next one.
    if (!outcome.ok || outcome.value.slots === 0) continue;
    const claim = outcome.value.claims[0];
    if (claim !== undefined) return { ...created, task: claim.task };
    // Not claimable now (waiting on dependencies): no other agent would fare better.
    break;
  }
  return created;
}

function leastLoaded(a: PushCandidate, b: PushCandidate): number {
  return a.held - b.held || b.free - a.free || (a.agentId < b.agentId ? -1 : 1);
}

/**
 * Frees the holder's slot when the lease is over: the task's assignee once it completed or
 * failed, or the acting agent when the lease turned out expired (its row may still count). The
 * answer waits for the shard unless the board counts the holder's capacity: an agent's next
 * claim must not find the slot still taken.
 */
async function endLease(
  deps: TaskFrontDeps,
  agentId: string | undefined,
  leaseId: string,
  outcome: Result<TaskChange>,
): Promise<TaskChange> {
  const code = outcome.ok ? undefined : outcome.error.code;
  const holder = outcome.ok
    ? holderOf(outcome.value.task.assignee)
    : code === "LEASE_EXPIRED"
      ? agentId
      : undefined;
  if (holder !== undefined) {
    const ended = note(deps.shardOf(holder).endLease({ agentId: holder, leaseId }));
    if (deps.counted.has(holder)) deps.defer(ended);
    else await ended;
  }
  return unwrap(outcome);
}

/** A task's assignee when it is a registered agent (tasks written by hand may name others). */
function holderOf(assignee: unknown): string | undefined {
  return typeof assignee === "string" && v.is(AgentId, assignee) ? assignee : undefined;
}

/** Logs a shard update that failed: the answer stands, the slot frees itself later. */
async function note(pending: Promise<Result<unknown>>): Promise<void> {
  const result = await pending;
  if (!result.ok) console.warn(`agent shard update failed: ${result.error.message}`);
}

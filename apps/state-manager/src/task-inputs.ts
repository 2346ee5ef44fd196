import {
  Capabilities,
  JsonData,
  LeaseMs,
  MaxConcurrency,
  NewTask,
  TaskError,
  TaskStatus,
} from "@chorus/core";
import * as v from "valibot";

// The same bounds as inputs.ts, so every RPC addresses a workflow alike.
const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(128));
const TaskId = v.pipe(v.string(), v.minLength(1), v.maxLength(256));
const Author = v.pipe(v.string(), v.minLength(1), v.maxLength(200));

/**
 * Creates a task: the create body (`NewTask`) with the workflow and who commits it beside it,
 * so an issue's path in the body is the same here as over HTTP (e.g. `/dependsOn`).
 */
export const CreateTaskInput = v.strictObject({
  workflowId: Id,
  author: Author,
  ...NewTask.entries,
});
export type CreateTaskInput = v.InferOutput<typeof CreateTaskInput>;
export type CreateTaskRequest = v.InferInput<typeof CreateTaskInput>;

/** Lists tasks, optionally only those of a status or requiring a capability. */
export const ListTasksInput = v.object({
  workflowId: Id,
  status: v.optional(TaskStatus),
  capability: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(100))),
});
export type ListTasksInput = v.InferOutput<typeof ListTasksInput>;
export type ListTasksRequest = v.InferInput<typeof ListTasksInput>;

/** Addresses one task. */
export const TaskRef = v.object({ workflowId: Id, taskId: TaskId });
export type TaskRef = v.InferOutput<typeof TaskRef>;
export type TaskRefRequest = v.InferInput<typeof TaskRef>;

/**
 * Claims up to `max` ready tasks for an agent, or with `taskId` that one task only (a push). The
 * coordinator has already checked the agent. Its capacity was either reserved on the agent's
 * shard, or, with `agent.maxConcurrency`, is counted here: an agent that works on this workflow
 * only holds every lease it has on this board, so the board caps the claim at `maxConcurrency`
 * less the live leases it finds, in the claim's own transaction.
 */
export const ClaimTasksInput = v.object({
  workflowId: Id,
  agent: v.object({
    id: Id,
    capabilities: v.optional(Capabilities, () => []),
    maxConcurrency: v.optional(MaxConcurrency),
  }),
  max: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(50)), 1),
  leaseMs: v.optional(LeaseMs),
  taskId: v.optional(TaskId),
});
export type ClaimTasksInput = v.InferOutput<typeof ClaimTasksInput>;
export type ClaimTasksRequest = v.InferInput<typeof ClaimTasksInput>;

/**
 * The agent acting on a lease, when the caller is one (its token): using another agent's
 * current lease is `FORBIDDEN`. Without it the lease alone is checked.
 */
const ActingAgent = { agentId: v.optional(Id) };

/** Extends a lease; `leaseMs` defaults to the task's. */
export const HeartbeatLeaseInput = v.object({
  workflowId: Id,
  taskId: TaskId,
  leaseId: Id,
  leaseMs: v.optional(LeaseMs),
  ...ActingAgent,
});
export type HeartbeatLeaseInput = v.InferOutput<typeof HeartbeatLeaseInput>;
export type HeartbeatLeaseRequest = v.InferInput<typeof HeartbeatLeaseInput>;

/** Completes a task under its lease. */
export const CompleteTaskInput = v.object({
  workflowId: Id,
  taskId: TaskId,
  leaseId: Id,
  result: v.optional(JsonData),
  ...ActingAgent,
});
export type CompleteTaskInput = v.InferOutput<typeof CompleteTaskInput>;
export type CompleteTaskRequest = v.InferInput<typeof CompleteTaskInput>;

/** Ends a task's attempt in failure under its lease. */
export const FailTaskInput = v.object({
  workflowId: Id,
  taskId: TaskId,
  leaseId: Id,
  error: v.pipe(
    TaskError,
    v.check((error) => error !== null, "Invalid error: a failure needs an error"),
  ),
  retryable: v.optional(v.boolean(), true),
  ...ActingAgent,
});
export type FailTaskInput = v.InferOutput<typeof FailTaskInput>;
export type FailTaskRequest = v.InferInput<typeof FailTaskInput>;

/** Retries a dead task or cancels a task, as `author`. */
export const TaskActionInput = v.object({ workflowId: Id, taskId: TaskId, author: Author });
export type TaskActionInput = v.InferOutput<typeof TaskActionInput>;
export type TaskActionRequest = v.InferInput<typeof TaskActionInput>;

/** Expires every lease an agent holds in the workflow (the agent went offline). */
export const ReleaseAgentLeasesInput = v.object({ workflowId: Id, agentId: Id });
export type ReleaseAgentLeasesInput = v.InferOutput<typeof ReleaseAgentLeasesInput>;
export type ReleaseAgentLeasesRequest = v.InferInput<typeof ReleaseAgentLeasesInput>;

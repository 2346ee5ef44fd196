import { AgentId, Id } from "@chorus/core";
import * as v from "valibot";
import { LeaseMs, MAX_CLAIM } from "./agent-inputs.ts";

/** Claims up to `max` ready tasks of a workflow for an agent. */
export const ClaimInput = v.object({
  workflowId: Id,
  agentId: AgentId,
  max: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(MAX_CLAIM)), 1),
  leaseMs: v.optional(LeaseMs),
});
export type ClaimInput = v.InferOutput<typeof ClaimInput>;
export type ClaimRequest = v.InferInput<typeof ClaimInput>;

/**
 * Names a lease on a task. `agentId` is the agent acting, when the caller is one (its token):
 * the task board refuses it another agent's current lease (`FORBIDDEN`). The slot that ends or
 * is extended is the holder's, whom the task board's answer names.
 */
const LeaseEntries = { workflowId: Id, taskId: Id, agentId: v.optional(AgentId), leaseId: Id };

/** Extends a lease. */
export const HeartbeatTaskInput = v.object({ ...LeaseEntries, leaseMs: v.optional(LeaseMs) });
export type HeartbeatTaskRequest = v.InferInput<typeof HeartbeatTaskInput>;

/** Completes a task under its lease. */
export const CompleteTaskInput = v.object({ ...LeaseEntries, result: v.optional(v.unknown()) });
export type CompleteTaskRequest = v.InferInput<typeof CompleteTaskInput>;

/** Fails a task's attempt under its lease. */
export const FailTaskInput = v.object({
  ...LeaseEntries,
  error: v.unknown(),
  retryable: v.optional(v.boolean()),
});
export type FailTaskRequest = v.InferInput<typeof FailTaskInput>;

/** A lease the task board ended for the agent, in a call that did not come through here. */
export const LeaseEndedInput = v.object({ agentId: AgentId, leaseId: Id });
export type LeaseEndedRequest = v.InferInput<typeof LeaseEndedInput>;

/** Creates a task (the task board validates it); `assign: "push"` gives it to an agent at once. */
export const CreateTaskInput = v.object({
  workflowId: Id,
  /** the create body (core's `NewTask`); the task board validates it */
  task: v.record(v.string(), v.unknown()),
  author: Id,
  assign: v.optional(v.picklist(["pull", "push"]), "pull"),
});
export type CreateTaskRequest = v.InferInput<typeof CreateTaskInput>;

/** Cancels a task, as `author`. */
export const CancelTaskInput = v.object({ workflowId: Id, taskId: Id, author: Id });
export type CancelTaskRequest = v.InferInput<typeof CancelTaskInput>;

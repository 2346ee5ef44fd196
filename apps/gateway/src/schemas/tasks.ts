import { AgentId, Id, JsonData, LeaseMs, NewTask, TaskError, TaskStatus } from "@chorus/core";
import * as v from "valibot";
import { WorkflowIdParam } from "./params.ts";

/** `{id}` and `{taskId}` of a task route. */
export const TaskPath = v.object({ id: WorkflowIdParam, taskId: Id });

/** The query of `GET /api/workflows/{id}/tasks`. */
export const ListTasksQuery = v.object({
  status: v.optional(TaskStatus),
  /** tasks that require this capability */
  capability: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(100))),
});

/**
 * The body of `POST /api/workflows/{id}/tasks`: core's `NewTask`, and `assign: "push"` to have
 * the coordinator give it at once to the least-loaded live agent able to take it.
 */
export const CreateTaskBody = v.strictObject({
  ...NewTask.entries,
  assign: v.exactOptional(v.picklist(["pull", "push"])),
});

/** The body of `POST /api/workflows/{id}/tasks/claim`. */
export const ClaimBody = v.strictObject({
  agentId: AgentId,
  max: v.exactOptional(v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(50))),
  leaseMs: v.exactOptional(LeaseMs),
});

/** The body of `POST …/tasks/{taskId}/heartbeat`. */
export const HeartbeatBody = v.strictObject({ leaseId: Id, leaseMs: v.exactOptional(LeaseMs) });

/** The body of `POST …/tasks/{taskId}/complete`. */
export const CompleteBody = v.strictObject({ leaseId: Id, result: v.exactOptional(JsonData) });

/** The body of `POST …/tasks/{taskId}/fail`. */
export const FailBody = v.strictObject({
  leaseId: Id,
  error: v.pipe(
    TaskError,
    v.check((error) => error !== null, "Invalid error: a failure needs an error"),
  ),
  retryable: v.exactOptional(v.boolean()),
});

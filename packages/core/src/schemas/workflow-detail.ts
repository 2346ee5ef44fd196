import * as v from "valibot";
import { Count } from "./fields.ts";
import { WorkflowRecord } from "./workflow-record.ts";

/** How many of a workflow's tasks are in each status. */
export const TaskCounts = v.strictObject({
  pending: Count,
  ready: Count,
  claimed: Count,
  completed: Count,
  failed: Count,
  dead: Count,
  cancelled: Count,
});

/** How many of a workflow's tasks are in each status. */
export type TaskCounts = v.InferOutput<typeof TaskCounts>;

/**
 * A workflow as `GET /api/workflows/{id}` answers it: its registry record, how many agents work
 * on it (limited to it, or holding leases in it), and its tasks counted by status.
 */
export const WorkflowDetail = v.strictObject({
  ...WorkflowRecord.pipe[0].entries,
  agentCount: Count,
  taskCounts: TaskCounts,
});

/** A workflow with its agent and task counts. */
export type WorkflowDetail = v.InferOutput<typeof WorkflowDetail>;

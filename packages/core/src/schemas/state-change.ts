import * as v from "valibot";
import { JsonData, JsonPointer } from "../json-patch.ts";
import { Id, Timestamp } from "./fields.ts";

/** What part of a workflow a change touched. */
export const StateChangeType = v.picklist([
  "task-update",
  "agent-status",
  "workflow-status",
  "metadata-update",
]);

/** What part of a workflow a change touched. */
export type StateChangeType = v.InferOutput<typeof StateChangeType>;

/**
 * One change to a workflow's state, for subscribers and the audit trail: the value at `path`
 * went from `oldValue` to `newValue` (either absent when the value was added or removed).
 */
export const StateChange = v.object({
  id: Id,
  workflowId: Id,
  type: StateChangeType,
  path: JsonPointer,
  oldValue: v.exactOptional(JsonData),
  newValue: v.exactOptional(JsonData),
  timestamp: Timestamp,
  agentId: Id,
});

/** One change to a workflow's state. */
export type StateChange = v.InferOutput<typeof StateChange>;

import { AgentId, AgentRecordStatus, AgentType, Id } from "@chorus/core";
import * as v from "valibot";

/** `{agentId}` of an agent route. */
export const AgentPath = v.object({ agentId: AgentId });

/** The query of `GET /api/agents`: every filter given must hold. */
export const ListAgentsQuery = v.object({
  /** agents limited to, or holding leases in, this workflow */
  workflowId: v.optional(Id),
  type: v.optional(AgentType),
  status: v.optional(AgentRecordStatus),
  /** agents that have this capability */
  capability: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(100))),
});

import type { Agent, AgentRecord } from "@chorus/core";

/**
 * @param agent a registered agent
 * @returns the agent as a workflow's state shows it under `/agents/{agentId}`
 */
export function workflowView(agent: AgentRecord): Agent {
  return {
    id: agent.id,
    type: agent.type,
    status: agent.status,
    capabilities: agent.capabilities,
    lastSeen: agent.lastSeenAt,
  };
}

import type { AgentRecord } from "@chorus/core";

/** An agent that could take a pushed task, and how loaded it is. */
export interface PushCandidate {
  agentId: string;
  held: number;
  free: number;
  capabilities: string[];
}

/**
 * Live, undrained agents that work on the workflow, have the capabilities and a free slot.
 * @param agents the agents to choose from
 * @param held how many slots an agent holds now
 */
export function pushCandidates(
  agents: readonly AgentRecord[],
  query: { workflowId: string; capabilities: readonly string[] },
  held: (agentId: string) => number,
): PushCandidate[] {
  return agents
    .filter(
      (agent) =>
        (agent.status === "idle" || agent.status === "busy") &&
        (agent.workflowIds === null || agent.workflowIds.includes(query.workflowId)) &&
        query.capabilities.every((capability) => agent.capabilities.includes(capability)),
    )
    .map((agent) => {
      const slots = held(agent.id);
      return {
        agentId: agent.id,
        held: slots,
        free: agent.maxConcurrency - slots,
        capabilities: agent.capabilities,
      };
    })
    .filter((candidate) => candidate.free > 0);
}

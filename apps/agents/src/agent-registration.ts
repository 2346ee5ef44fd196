import type { AgentRow } from "./agent-store.ts";

/** The shortest `ttlMs` the coordinator accepts. */
const MIN_TTL_MS = 5_000;

/**
 * How often an agent's alarm runs: `AGENT_HEARTBEAT_MS`, 10 s when unset or not a positive number.
 * @param env the worker's bindings
 * @returns milliseconds
 */
export function heartbeatMs(env: { AGENT_HEARTBEAT_MS?: string }): number {
  const value = Number(env.AGENT_HEARTBEAT_MS);
  return Number.isFinite(value) && value > 0 ? value : 10_000;
}

/**
 * What the agent registers as with the coordinator: limited to its workflow, one task at a
 * time, and a ttl of three heartbeats, so one missed beat does not take it offline.
 * @param row the agent
 * @param beatMs its heartbeat interval
 * @returns the `registerAgent` input
 */
export function registration(row: AgentRow, beatMs: number) {
  return {
    agentId: row.agentId,
    createdBy: row.createdBy,
    spec: {
      name: `chorus:${row.type}`,
      type: row.type,
      capabilities: row.capabilities,
      maxConcurrency: 1,
      ttlMs: Math.min(3_600_000, Math.max(MIN_TTL_MS, beatMs * 3)),
      workflowIds: [row.workflowId],
      metadata: { spawnedBy: "chorus-agents" },
    },
  };
}

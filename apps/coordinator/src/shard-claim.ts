import { type AgentRecord, boardHoldsEveryLease, type TaskClaim } from "@chorus/core";
import type { GrantedLease } from "./agent-inputs.ts";

/** A claim as the agent's shard answers it. */
export interface ShardClaims {
  claims: TaskClaim[];
  /** how many slots the board was asked for (0: it was not asked) */
  slots: number;
  /** whether the board counted the agent's capacity (the agent works on that workflow only) */
  counted: boolean;
}

/** Whether the workflow's task board counts the agent's capacity itself (core's rule). */
export function boardCounts(agent: AgentRecord, workflowId: string): boolean {
  return boardHoldsEveryLease(agent.workflowIds, workflowId);
}

/** @returns the leases the board granted, as the shard records them */
export function grantedLeases(claims: readonly TaskClaim[]): GrantedLease[] {
  return claims.map(({ task, lease }) => ({
    leaseId: lease.id,
    taskId: task.id,
    expiresAt: lease.expiresAt,
  }));
}

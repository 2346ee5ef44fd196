import type { Result } from "@chorus/core";
import type { Identity } from "./auth.ts";
import type { Env } from "./env.ts";

/**
 * The agent a request acts as when its task board counts that agent's capacity: an agent's
 * token limited to this one workflow (its token's limits are the agent's own), so every lease
 * it holds is on this board. Its completions and failures then need nothing of the coordinator
 * before they are answered: the board refuses another agent's lease and counts the slot freed
 * in the same commit, so the gateway takes them to the board itself and tells the agent's
 * shard afterwards, one worker hop less.
 * @param identity the caller
 * @param workflowId the workflow of the request
 * @returns the agent's id, or `undefined` when the call must go through the coordinator
 */
export function boardCountedAgent(identity: Identity, workflowId: string): string | undefined {
  const limits = identity.workflowIds;
  if (identity.agentId === undefined || limits === null || limits.length !== 1) return undefined;
  return limits[0] === workflowId ? identity.agentId : undefined;
}

/**
 * Once the request is served, tells the coordinator that the board ended the agent's lease
 * (completed, failed, or found expired), for its shard's bookkeeping. A failure is logged: the
 * shard's row runs out with the lease anyway, and the board already counts the slot free.
 * @param outcome the board's answer to the completion or failure
 */
export function leaseEndedAfter(
  env: Env,
  ctx: ExecutionContext,
  agentId: string,
  leaseId: string,
  outcome: Result<unknown>,
): void {
  if (!outcome.ok && outcome.error.code !== "LEASE_EXPIRED") return;
  ctx.waitUntil(
    env.COORDINATOR.leaseEnded({ agentId, leaseId }).then(
      (answer) => {
        // The stub's type keeps only the success of the Result it carries.
        const ended = answer as unknown as Result<null>;
        if (!ended.ok)
          console.warn(`ending lease ${leaseId} of ${agentId}: ${ended.error.message}`);
      },
      (error: unknown) => console.warn(`ending lease ${leaseId} of ${agentId} failed`, error),
    ),
  );
}

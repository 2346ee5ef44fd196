import { boardHoldsEveryLease, type Result } from "@chorus/core";
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
  const { agentId, workflowIds } = identity;
  return agentId !== undefined && boardHoldsEveryLease(workflowIds, workflowId)
    ? agentId
    : undefined;
}

/**
 * Ends a lease (a completion or a failure): on the task board itself for an agent whose
 * capacity it counts, telling the coordinator once answered; through the coordinator otherwise.
 * @param call the request's bindings, context, caller, workflow and lease
 * @param onBoard the task board's call
 * @param viaCoordinator the coordinator's call
 * @returns the answer of whichever was asked
 */
export async function endLease<T>(
  call: {
    env: Env;
    ctx: ExecutionContext;
    identity: Identity;
    workflowId: string;
    leaseId: string;
  },
  onBoard: () => Promise<Result<T>>,
  viaCoordinator: () => Promise<Result<T>>,
): Promise<Result<T>> {
  const agentId = boardCountedAgent(call.identity, call.workflowId);
  if (agentId === undefined) return viaCoordinator();
  const outcome = await onBoard();
  leaseEndedAfter(call.env, call.ctx, agentId, call.leaseId, outcome);
  return outcome;
}

/**
 * Once the request is served, tells the coordinator that the board ended the agent's lease
 * (completed, failed, or found expired), for its shard's bookkeeping. A failure is logged: the
 * shard's row runs out with the lease anyway, and the board already counts the slot free.
 * @param outcome the board's answer to the completion or failure
 */
function leaseEndedAfter(
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

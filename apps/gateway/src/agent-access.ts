import type { AgentRecord } from "@chorus/core";
import type { Identity } from "./auth.ts";
import { HttpError } from "./problem.ts";

/**
 * Whether an identity may see an agent: any unlimited token, the agent itself, or a token
 * limited to workflows the agent shares.
 * @param identity the caller
 * @param agent the agent
 */
export function canSee(identity: Identity, agent: AgentRecord): boolean {
  if (identity.agentId !== undefined) return identity.agentId === agent.id;
  const limits = identity.workflowIds;
  if (limits === null) return true;
  return agent.workflowIds?.some((id) => limits.includes(id)) ?? false;
}

/**
 * Checks that an identity may act on an agent (heartbeat, drain): the agent itself, an
 * unlimited token, or a token limited to every workflow the agent is limited to.
 * @param identity the caller
 * @param agent the agent
 * @throws HttpError 403 otherwise
 */
export function assertManages(identity: Identity, agent: AgentRecord): void {
  if (identity.agentId !== undefined) {
    assertActsAs(identity, agent.id);
    return;
  }
  const limits = identity.workflowIds;
  if (limits === null) return;
  if (agent.workflowIds?.every((id) => limits.includes(id))) return;
  throw new HttpError(403, "FORBIDDEN", `the token may not act on agent ${agent.id}`);
}

/**
 * Checks that a request acting as `agentId` does not come from another agent's token.
 * @param identity the caller
 * @param agentId the agent the request acts as
 * @throws HttpError 403 when an agent's token acts as another agent
 */
export function assertActsAs(identity: Identity, agentId: string): void {
  if (identity.agentId === undefined || identity.agentId === agentId) return;
  throw new HttpError(403, "FORBIDDEN", `this agent's token cannot act as agent ${agentId}`);
}

/**
 * The workflows an agent registered by this identity is limited to: as asked, which must be
 * among the caller's own when the caller is limited (its own, when none are asked).
 * @param identity the caller
 * @param asked the `workflowIds` of the request, if any
 * @returns the agent's workflows; `undefined` for every workflow
 * @throws HttpError 403 when a limited caller asks for a workflow beyond its own
 */
export function agentWorkflows(
  identity: Identity,
  asked: readonly string[] | undefined,
): string[] | undefined {
  const limits = identity.workflowIds;
  if (limits === null) return asked === undefined ? undefined : [...asked];
  if (asked === undefined) return [...limits];
  const beyond = asked.filter((id) => !limits.includes(id));
  if (beyond.length > 0) {
    throw new HttpError(403, "FORBIDDEN", `the token is not valid for workflow ${beyond[0]}`, {
      errors: [
        { path: "/workflowIds", message: `not among the token's workflows: ${beyond.join(", ")}` },
      ],
    });
  }
  return [...asked];
}

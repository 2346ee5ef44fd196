import { DurableObject } from "cloudflare:workers";

/**
 * Which workflow a Linear issue belongs to: one tiny object per issue, named by its id, so a
 * webhook (which names only the issue) reaches the right workflow's agent without any global
 * table on the way.
 */
export class LinearIssueIndex extends DurableObject<AgentsEnv> {
  /** Records the issue's workflow (the same again is a no-op). */
  async remember(workflowId: string): Promise<void> {
    await this.ctx.storage.put("workflowId", workflowId);
  }

  /** @returns the issue's workflow, if an agent made the issue */
  async workflow(): Promise<string | null> {
    return (await this.ctx.storage.get<string>("workflowId")) ?? null;
  }
}

function entry(env: AgentsEnv, issueId: string): DurableObjectStub<LinearIssueIndex> {
  return env.LINEAR_ISSUES.get(env.LINEAR_ISSUES.idFromName(issueId));
}

/**
 * Records which workflow an issue belongs to.
 * @param env the worker's bindings
 * @param issueId the issue
 * @param workflowId its workflow
 */
export async function rememberIssue(
  env: AgentsEnv,
  issueId: string,
  workflowId: string,
): Promise<void> {
  await entry(env, issueId).remember(workflowId);
}

/**
 * @param env the worker's bindings
 * @param issueId the issue
 * @returns its workflow, or `null` for an issue no agent made
 */
export async function issueWorkflow(env: AgentsEnv, issueId: string): Promise<string | null> {
  return entry(env, issueId).workflow();
}

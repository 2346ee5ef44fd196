import { ChorusError, type Result, validateOrThrow } from "@chorus/core";
import { issueWorkflow } from "./linear-issue-index.ts";
import { LinearWebhookInput } from "./linear-webhook-input.ts";

/**
 * Finds the workflow whose task a webhook's issue mirrors and hands the webhook to its agent.
 * @param env the worker's bindings
 * @param input the verified webhook and its replay key
 * @returns the agent's answer: the version committed, or `null`
 * @throws ChorusError `NOT_FOUND` at `/data/id` for an issue no agent made
 */
export async function routeLinearWebhook(
  env: AgentsEnv,
  input: LinearWebhookInput,
): Promise<Result<{ committed: number | null }>> {
  const parsed = validateOrThrow(LinearWebhookInput, input);
  const workflowId = await issueWorkflow(env, parsed.payload.data.id);
  if (workflowId === null) {
    throw new ChorusError("NOT_FOUND", `no workflow syncs Linear issue ${parsed.payload.data.id}`, {
      path: "/data/id",
    });
  }
  const agent = env.LINEAR_SYNC.get(env.LINEAR_SYNC.idFromName(workflowId));
  // The stub's method is typed through Rpc wrappers; the value is a plain Result.
  return (await agent.linearWebhook(parsed)) as unknown as Result<{ committed: number | null }>;
}

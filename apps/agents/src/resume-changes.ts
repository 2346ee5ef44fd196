import type { ChangesResumed, Result } from "@chorus/core";

/**
 * Resumes the state manager's change delivery for a workflow (core's `ChangeAck` pause). A
 * workflow the state manager does not hold has nothing paused: that counts as resumed.
 * @param env the agents worker's bindings
 * @param workflowId the workflow
 * @returns the state manager's answer; `null` for a workflow it does not hold
 */
export async function resumeChanges(
  env: AgentsEnv,
  workflowId: string,
): Promise<Result<ChangesResumed | null>> {
  // The binding's own type wraps the result in an RPC stub that does not narrow on `ok`.
  const resumed = (await env.STATE.resumeChanges({ workflowId })) as Result<ChangesResumed>;
  return !resumed.ok && resumed.error.code === "NOT_FOUND" ? { ok: true, value: null } : resumed;
}

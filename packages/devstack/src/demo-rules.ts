import { type ChorusClient, describeCommit } from "@chorus/client";
import type { JsonPatch } from "@chorus/core";

/**
 * The example rule of the Pattern Bridge (apps/agents): when every task's status is
 * `completed`, set the workflow's `/status` to `completed`.
 */
export const ALL_TASKS_DONE_RULE = {
  name: "complete the workflow when every task is",
  when: { path: "/tasks/*/status", test: "equals", value: "completed", every: true },
  // biome-ignore lint/suspicious/noThenProperty: the rule's field (issue 15); an object, never thenable
  then: { action: "set", path: "/status", value: "completed" },
} as const;

/** How long the demo waits for the bridge's commit. */
const WAIT_MS = 10_000;

/**
 * Adds the example rule to the workflow (which spawns its Pattern Bridge), completes the tasks
 * still open with one commit, and waits for the bridge to set `/status`.
 * @param options the stack, an admin token, the workflow and the agent that finishes the tasks
 */
export async function completeByRule(options: {
  baseUrl: string;
  token: string;
  workflowId: string;
  client: ChorusClient;
  name: string;
  print: (line: string) => void;
}): Promise<void> {
  const { baseUrl, token, workflowId, client, print } = options;
  const response = await fetch(`${baseUrl}/api/workflows/${workflowId}/rules`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(ALL_TASKS_DONE_RULE),
  });
  if (response.status !== 201)
    throw new Error(`adding the rule: ${response.status} ${await response.text()}`);
  const { rule } = (await response.json()) as { rule: { id: string } };
  print(
    `  rule ${rule.id}: when every /tasks/*/status equals "completed", set /status "completed"`,
  );
  const read = await client.getState<{ status: string; tasks: Record<string, { status: string }> }>(
    workflowId,
  );
  const patch: JsonPatch = Object.entries(read.state.tasks)
    .filter(([, task]) => task.status !== "completed")
    .map(([id]) => ({ op: "replace", path: `/tasks/${id}/status`, value: "completed" }));
  const finished = await client.patch(workflowId, patch, {
    changeDescription: "finish every task",
  });
  print(`  ${options.name.padEnd(10)} → ${describeCommit(finished)}: every task completed`);
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const now = await client.getState<{ status: string }>(workflowId);
    if (now.state.status === "completed") {
      const [latest] = (await client.history(workflowId, { limit: 1 })).versions;
      print(
        `  pattern-bridge set /status "completed" in v${now.version} (${latest?.changeDescription ?? ""})`,
      );
      return;
    }
    if (Date.now() > deadline) throw new Error("the Pattern Bridge did not set /status in time");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

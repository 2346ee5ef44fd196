import { env } from "cloudflare:workers";
import { type ChangeDelivery, type Result, type SpawnedAgent, unwrap } from "@chorus/core";
import { expect } from "vitest";

/** A workflow id no other test uses. */
export function freshWorkflowId(prefix = "wf"): string {
  return `${prefix}-${crypto.randomUUID()}`;
}

/** Creates a workflow with an initial state (version 1) and registers it. */
export async function createWorkflow(
  workflowId: string,
  state: object = { data: {} },
): Promise<void> {
  unwrap(
    (await env.STATE.create({
      workflowId,
      state,
      author: "tester",
    })) as Result<unknown>,
  );
}

/** Commits a patch to a workflow's main branch as `author`; @returns the new version number */
export async function commitPatch(
  workflowId: string,
  patch: unknown[],
  author = "tester",
): Promise<number> {
  const result = unwrap(
    (await env.STATE.commit({ workflowId, patch, author, changeDescription: "test" })) as Result<{
      version: { version: number };
    }>,
  );
  return result.version.version;
}

/** Polls `read` until `done` holds of its value (or the timeout passes, failing the test). */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) {
      expect.fail(`timed out waiting; last value: ${JSON.stringify(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

/** @returns the spawned agent as the service answers it now */
export async function spawnedAgent(workflowId: string, agentId: string): Promise<SpawnedAgent> {
  return unwrap(await env.AGENTS.getAgent({ workflowId, agentId }));
}

/**
 * A delivery of one made-up version of a workflow, as the state manager's outbox sends it: for
 * the answer of a consumer that does not look inside the event.
 */
export function oneVersionDelivery(workflowId: string, version: number): ChangeDelivery {
  return {
    workflowId,
    events: [
      {
        workflowId,
        version,
        branch: "main",
        parents: version > 1 ? [version - 1] : [],
        author: "tester",
        changeDescription: "",
        timestamp: Date.now(),
        checksum: "0".repeat(64),
        patch: [],
        changes: [],
      },
    ],
  };
}

import type { CommitRequest } from "../../src/inputs.ts";
import type { BatchInput, Change } from "./batch-input.ts";
import type { BenchEnv } from "./env.ts";
import { release } from "./release.ts";

type CommitAnswer =
  | { ok: true; value: { version: { version: number } } }
  | { ok: false; error: { message: string } };

/**
 * Runs one operation back to back through the same service bindings Node's single calls use.
 * @param env the driver's bindings
 * @param input what to run
 * @returns how many operations completed
 */
export async function runBatch(env: BenchEnv, input: BatchInput): Promise<{ count: number }> {
  const { workflowId, changes } = input;
  const sequential = input.writers === 1;
  let head = input.baseVersion;
  let state = input.state;
  let count = 0;
  const deadline = Date.now() + input.ms;
  const commit = async (request: CommitRequest) => {
    const answer = release(await env.STATE.commit(request)) as CommitAnswer;
    if (!answer.ok) throw new Error(`commit: ${answer.error.message}`);
    if (sequential) head = answer.value.version.version;
  };
  const once = async (n: number) => {
    const change = changes[n % changes.length] as Change;
    const base = sequential && head !== undefined ? { baseVersion: head } : {};
    const request = {
      workflowId,
      author: "bench",
      changeDescription: `${change.id} → ${change.status}`,
      ...base,
    };
    switch (input.op) {
      case "noop":
        return void release(await env.STATE.noop({ workflowId }));
      case "insert":
        return void release(await env.FLOOR.insert({ workflowId, body: `row ${n}` }));
      case "source":
        return void release(await env.FLOOR.source({ workflowId }));
      case "readHead": {
        const answer = release(await env.STATE.getStateText({ workflowId })) as { ok: boolean };
        if (!answer.ok) throw new Error("getStateText failed");
        return;
      }
      case "commitPatch":
        return commit({
          ...request,
          patch: [{ op: "replace", path: `/tasks/${change.id}/status`, value: change.status }],
        });
      case "commitState": {
        if (state === undefined) throw new Error("commitState needs the state");
        const task = state.tasks[change.id];
        const next = {
          ...state,
          tasks: { ...state.tasks, [change.id]: { ...task, status: change.status } },
        };
        if (sequential) state = next;
        return commit({ ...request, state: next });
      }
    }
  };
  const writer = async () => {
    while (Date.now() < deadline) await once(count++);
  };
  await Promise.all(Array.from({ length: input.writers }, writer));
  return { count };
}

import { env, exports } from "cloudflare:workers";
import { type Result, unwrap } from "@chorus/core";
import { expect } from "vitest";

/** The StateService entrypoint, called over RPC exactly as other workers call it. */
export const service = exports.StateService;

/** @returns the workflow's StateManager stub, for `runInDurableObject` */
export function stubOf(workflowId: string) {
  return env.STATE_MANAGER.get(env.STATE_MANAGER.idFromName(workflowId));
}

let counter = 0;
/** @returns a workflow id no other test uses */
export function freshWorkflowId(prefix = "wf"): string {
  counter++;
  return `${prefix}-${counter}-${crypto.randomUUID().slice(0, 8)}`;
}

/** A small valid workflow state. */
export function sampleState(overrides: Record<string, unknown> = {}) {
  return {
    id: "wf",
    name: "Review pipeline",
    status: "running",
    priority: "normal",
    tasks: {
      t1: { id: "t1", status: "pending", assignee: null },
      t2: { id: "t2", status: "pending", assignee: null },
    },
    agents: {},
    context: { userId: "u1", tags: ["demo"] },
    metadata: { counter: 0 },
    data: {},
    ...overrides,
  };
}

/**
 * Creates a workflow with `sampleState()` (or the given state) as version 1.
 * @returns its id
 */
export async function createWorkflow(state: unknown = sampleState()): Promise<string> {
  const workflowId = freshWorkflowId();
  unwrap(await service.create({ workflowId, state, author: "tester" }));
  return workflowId;
}

/**
 * Asserts a failed result and returns its error.
 * @param result an RPC result
 * @param code the expected error code
 */
export function expectError<T>(result: Result<T>, code: string) {
  expect(result.ok, JSON.stringify(result)).toBe(false);
  if (result.ok) throw new Error("unreachable");
  expect(result.error.code).toBe(code);
  return result.error;
}

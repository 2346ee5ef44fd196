// The real local stack for one test file: gateway, coordinator, state manager and agents in
// workerd, started before its tests and stopped after them. The devstack is imported by path: it
// depends on this client, so a package dependency back would make the workspace graph cyclic.
import { afterAll, beforeAll } from "vitest";
import { type Stack, startStack } from "../../devstack/src/index.ts";
import { ChorusClient } from "../src/index.ts";

/** The stack and a client holding its admin token, both set once `beforeAll` has run. */
export interface LocalStack {
  stack: Stack;
  admin: ChorusClient;
}

/**
 * Starts the stack in `beforeAll` and stops it in `afterAll` of the calling test file.
 * @param options `benchFloors` to serve the benchmark floors (`noop`, `noopWrite`)
 * @returns the stack and its admin client, filled in before the first test
 */
export function useLocalStack(options: { benchFloors?: boolean } = {}): LocalStack {
  const local = {} as LocalStack;
  beforeAll(async () => {
    local.stack = await startStack({ port: 0, persist: false, workerOutput: "ignore", ...options });
    local.admin = new ChorusClient({ baseUrl: local.stack.url, token: local.stack.token });
  });
  afterAll(() => local.stack?.stop());
  return local;
}

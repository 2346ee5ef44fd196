import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { StateManager } from "../src/state-manager.ts";
import { createWorkflow, expectError, service, stubOf } from "./helpers.ts";

// vitest.config.ts runs this file with wrangler.jsonc's BENCH_FLOORS, as a deployment gets it.
describe("the benchmark floors where BENCH_FLOORS is not 1", () => {
  it("runs with the floors off", () => {
    expect(env.BENCH_FLOORS).toBe("0");
  });

  it("noop and noopWrite answer NOT_FOUND through StateService, naming the variable", async () => {
    const workflowId = await createWorkflow();
    for (const method of ["noop", "noopWrite"] as const) {
      const error = expectError(await service[method]({ workflowId }), "NOT_FOUND");
      expect(error.message).toContain("BENCH_FLOORS");
    }
  });

  it("the object refuses them as well, whatever the input", async () => {
    const workflowId = await createWorkflow();
    const object = stubOf(workflowId);
    expectError(await object.noop({ workflowId }), "NOT_FOUND");
    // A malformed id would be VALIDATION_FAILED where the floors are on.
    expectError(await object.noopWrite({ workflowId: "" }), "NOT_FOUND");
  });

  it("noopWrite writes nothing", async () => {
    const workflowId = await createWorkflow();
    expectError(await service.noopWrite({ workflowId }), "NOT_FOUND");
    const rows = await runInDurableObject(stubOf(workflowId), (instance: StateManager) =>
      instance.storage.sql.exec("SELECT value FROM meta WHERE key = 'noopWrite'").toArray(),
    );
    expect(rows).toEqual([]);
  });
});

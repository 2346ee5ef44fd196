import { abortAllDurableObjects, runInDurableObject } from "cloudflare:test";
import { unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import type { StateManager } from "../src/state-manager.ts";
import { createWorkflow, expectError, freshWorkflowId, service, stubOf } from "./helpers.ts";

function writtenAt(workflowId: string): Promise<number | undefined> {
  return runInDurableObject(stubOf(workflowId), (instance: StateManager) => {
    const row = instance.storage.sql
      .exec("SELECT value FROM meta WHERE key = 'noopWrite'")
      .toArray()[0];
    return row === undefined ? undefined : Number(row.value);
  });
}

describe("the benchmark floors", () => {
  it("noop answers a constant and writes nothing", async () => {
    const workflowId = await createWorkflow();
    expect(unwrap(await service.noop({ workflowId }))).toEqual({ ok: true });
    expect(await writtenAt(workflowId)).toBeUndefined();
  });

  it("noopWrite makes one durable write and leaves versions, counters and the audit trail alone", async () => {
    const workflowId = await createWorkflow();
    const metricsBefore = unwrap(await service.metrics({ workflowId }));
    const before = Date.now();
    expect(unwrap(await service.noopWrite({ workflowId }))).toEqual({ ok: true });

    await abortAllDurableObjects();

    expect(await writtenAt(workflowId)).toBeGreaterThanOrEqual(before);
    const metricsAfter = unwrap(await service.metrics({ workflowId }));
    expect(metricsAfter.versionsCreated).toBe(metricsBefore.versionsCreated);
    expect(metricsAfter.storedBytes).toBe(metricsBefore.storedBytes);
    expect(unwrap(await service.history({ workflowId, limit: 10 })).versions).toHaveLength(1);
    expect(unwrap(await service.auditLog({ workflowId })).entries).toHaveLength(1);
  });

  it("noopWrite on an unknown workflow is NOT_FOUND and writes nothing", async () => {
    const workflowId = freshWorkflowId("missing");
    expectError(await service.noopWrite({ workflowId }), "NOT_FOUND");
    expect(await writtenAt(workflowId)).toBeUndefined();
  });

  it("noopWrite rejects a malformed workflow id with its path", async () => {
    const error = expectError(await service.noopWrite({ workflowId: "" }), "VALIDATION_FAILED");
    expect(error.path).toBe("/workflowId");
  });
});

import { unwrap, type WorkflowStatus } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { expectError, register, service } from "./helpers.ts";

async function move(workflowId: string, status: WorkflowStatus) {
  return service.updateWorkflow({ workflowId, update: { status }, actor: "tester" });
}

describe("status transitions", () => {
  it("walks a workflow through pause, failure, retry and completion", async () => {
    const { id } = await register({ status: "pending" });
    for (const status of [
      "running",
      "paused",
      "running",
      "failed",
      "running",
      "completed",
    ] as const) {
      expect(unwrap(await move(id, status)).status).toBe(status);
    }
    expect(unwrap(await service.getWorkflow({ workflowId: id })).status).toBe("completed");
  });

  it.each([
    ["pending", "cancelled"],
    ["running", "cancelled"],
    ["paused", "cancelled"],
    ["failed", "cancelled"],
  ] as const)("cancels a %s workflow", async (from, to) => {
    const { id } = await register({ status: from });
    expect(unwrap(await move(id, to)).status).toBe(to);
  });

  it.each([
    ["pending", "paused"],
    ["pending", "completed"],
    ["paused", "completed"],
    ["paused", "failed"],
    ["failed", "completed"],
    ["completed", "running"],
    ["completed", "cancelled"],
    ["cancelled", "running"],
    ["cancelled", "pending"],
  ] as const)("refuses %s → %s at /status and changes nothing", async (from, to) => {
    const record = await register({ status: from });
    const error = expectError(await move(record.id, to), "VALIDATION_FAILED");
    expect(error.path).toBe("/status");
    expect(error.details).toMatchObject({ from, to });
    expect(unwrap(await service.getWorkflow({ workflowId: record.id }))).toEqual(record);
  });

  it("refuses the whole update when its status move is forbidden", async () => {
    const record = await register({ status: "completed" });
    expectError(
      await service.updateWorkflow({
        workflowId: record.id,
        update: { status: "running", name: "Sneaky rename" },
        actor: "tester",
      }),
      "VALIDATION_FAILED",
    );
    expect(unwrap(await service.getWorkflow({ workflowId: record.id })).name).toBe(record.name);
  });

  it("allows metadata changes to a finished workflow and a status it already has", async () => {
    const { id } = await register({ status: "cancelled" });
    const updated = unwrap(
      await service.updateWorkflow({
        workflowId: id,
        update: { status: "cancelled", tags: ["archived"] },
        actor: "tester",
      }),
    );
    expect(updated).toMatchObject({ status: "cancelled", tags: ["archived"] });
  });
});

import { describe, expect, it } from "vitest";
import { ADMIN, api, createWorkflow, expectStatus } from "./helpers.ts";

describe("smoke", () => {
  it("creates a workflow and reads it", async () => {
    const { id } = await createWorkflow();
    const read = await expectStatus(api(`/api/workflows/${id}/state`, { token: ADMIN }), 200);
    expect(read.version).toBe(1);
    await expectStatus(api(`/api/workflows/${id}/noop`, { token: ADMIN }), 200);
  });
});

import type { Overview } from "@chorus/core";
import { describe, expect, it, vi } from "vitest";
import { ADMIN, api, expectStatus, fixture, issueToken, registerAgent } from "./helpers.ts";

describe("GET /api/overview", () => {
  it("counts a running workflow, its open conflict, its task, its versions and an agent", async () => {
    const f = await fixture();
    const at = `/api/workflows/${f.id}`;
    await expectStatus(
      api(at, { method: "PATCH", token: ADMIN, json: { status: "running" } }),
      200,
    );
    await expectStatus(
      api(`${at}/tasks`, { method: "POST", token: ADMIN, json: { id: "t-o", type: "build" } }),
      201,
    );
    const { agent } = await registerAgent({ name: "overseen", workflowIds: [f.id] });
    const reader = (await issueToken("reader")).token;

    // The Integration Dashboard learns of the commits from their delivery, a moment after them.
    const overview = await vi.waitFor(
      async () => {
        const read = await expectStatus<Overview>(api("/api/overview", { token: reader }), 200);
        expect(read.activity.filter((entry) => entry.workflowId === f.id)).toHaveLength(5);
        expect(read.agents.load.map((entry) => entry.id)).toContain(agent.id);
        return read;
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(overview.workflows.byStatus.running).toBeGreaterThanOrEqual(1);
    expect(overview.workflows.total).toBeGreaterThanOrEqual(1);
    expect(overview.conflicts.byWorkflow).toContainEqual({
      workflowId: f.id,
      workflowName: "Test",
      open: 1,
    });
    expect(overview.tasks.ready).toBeGreaterThanOrEqual(1);
    const mine = overview.activity.filter((entry) => entry.workflowId === f.id);
    // Version 1, the commits on `feature` and on `main`, the status and the task; newest first.
    expect(mine.map((entry) => entry.version)).toEqual([5, 4, 3, 2, 1]);
    expect(overview.rates.commitsPerMinute).toBeGreaterThanOrEqual(5 / 5);
    expect(overview.rates.conflictsPerMinute).toBeGreaterThanOrEqual(1 / 5);
    expect(overview.agents.load).toContainEqual(
      expect.objectContaining({ id: agent.id, name: "overseen", leases: 0, maxConcurrency: 1 }),
    );
    expect(overview.agents.online).toBeGreaterThanOrEqual(1);
  });

  it("refuses a token limited to some workflows", async () => {
    const f = await fixture();
    const limited = (await issueToken("reader", [f.id])).token;
    await expectStatus(api("/api/overview", { token: limited }), 403);
  });
});

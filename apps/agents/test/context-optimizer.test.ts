import { env } from "cloudflare:workers";
import { type ContextView, unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { createWorkflow, freshWorkflowId } from "./helpers.ts";

/** A workflow of 30 tasks of every status, with notes, and a log under /data. */
function tasksState() {
  const statuses = ["pending", "ready", "claimed", "completed", "failed", "cancelled"];
  const tasks: Record<string, object> = {};
  for (let i = 0; i < 30; i++) {
    tasks[`t${i}`] = {
      id: `t${i}`,
      title: `Review module ${i}`,
      status: statuses[i % statuses.length],
      updatedAt: 1_000 + i,
      notes: `Module ${i} depends on module ${i + 1}; check its interfaces before merging.`,
    };
  }
  return { name: "Context", status: "running", tasks, data: { log: ["built", "tested"] } };
}

const ask = (workflowId: string, budget: number, focus?: string, version = 1) =>
  env.AGENTS.context({ workflowId, version, budget, ...(focus === undefined ? {} : { focus }) });

describe("ContextOptimizer", () => {
  it("builds a view without a spawn, then answers the same one from its store", async () => {
    const workflowId = freshWorkflowId();
    const state = tasksState();
    await createWorkflow(workflowId, state);
    const first = unwrap(await ask(workflowId, 300, "/tasks/t7"));
    expect(first.stored).toBe(false);
    const view = JSON.parse(first.view) as ContextView;
    expect(view).toMatchObject({ version: 1, budget: 300 });
    expect(view.tokens).toBeLessThanOrEqual(300);
    expect(view.sections[0]).toMatchObject({ name: "focus", content: state.tasks.t7 });
    const second = unwrap(await ask(workflowId, 300, "/tasks/t7"));
    expect(second).toEqual({ view: first.view, stored: true });
    // No agent was spawned for any of it.
    expect(unwrap(await env.AGENTS.listAgents({ workflowId }))).toEqual([]);
  });

  it("keeps absent and empty focus, and each budget, as different views", async () => {
    const workflowId = freshWorkflowId();
    await createWorkflow(workflowId, tasksState());
    expect(unwrap(await ask(workflowId, 200)).stored).toBe(false);
    expect(unwrap(await ask(workflowId, 200, "")).stored).toBe(false);
    expect(unwrap(await ask(workflowId, 201)).stored).toBe(false);
    expect(unwrap(await ask(workflowId, 200)).stored).toBe(true);
    expect(unwrap(await ask(workflowId, 200, "")).stored).toBe(true);
  });

  it("keeps a view larger than a row, in parts, byte for byte", async () => {
    const workflowId = freshWorkflowId();
    // Multi-byte text, so parts are cut inside characters.
    const notes = Array.from(
      { length: 400 },
      (_, i) => `note ${i}: résumé naïve 🚀 ${"é".repeat(300)}`,
    );
    await createWorkflow(workflowId, { status: "running", data: { notes } });
    const built = unwrap(await ask(workflowId, 100_000, "/data"));
    const spawned = unwrap(
      await env.AGENTS.spawnAgent({ workflowId, type: "context-optimizer", createdBy: "alice" }),
    );
    const bytes = new TextEncoder().encode(built.view).byteLength;
    expect(bytes).toBeGreaterThan(3 * 64 * 1024);
    expect(spawned.agent.detail).toEqual({ store: { views: 1, bytes } });
    const stored = unwrap(await ask(workflowId, 100_000, "/data"));
    expect(stored.stored).toBe(true);
    expect(stored.view).toBe(built.view);
    // Each note shown is one of the workflow's, its multi-byte characters intact.
    const shown = (JSON.parse(stored.view) as ContextView).sections[0]?.content as {
      notes: string[];
    };
    expect(shown.notes.length).toBeGreaterThan(100);
    for (const note of shown.notes) expect(notes).toContain(note);
  });

  it("drops its oldest views beyond its bound (3 in these tests)", async () => {
    const workflowId = freshWorkflowId();
    await createWorkflow(workflowId, tasksState());
    for (const budget of [100, 101, 102, 103]) {
      expect(unwrap(await ask(workflowId, budget)).stored).toBe(false);
    }
    // 100, the oldest, was dropped for 103; reading 101 does not make it younger.
    expect(unwrap(await ask(workflowId, 103)).stored).toBe(true);
    expect(unwrap(await ask(workflowId, 101)).stored).toBe(true);
    expect(unwrap(await ask(workflowId, 100)).stored).toBe(false);
    // 100 built again drops 101, then the oldest; 102 stays.
    expect(unwrap(await ask(workflowId, 102)).stored).toBe(true);
    expect(unwrap(await ask(workflowId, 101)).stored).toBe(false);
  });

  it.each([
    [{ budget: 0 }, "VALIDATION_FAILED", "/budget"],
    [{ budget: 200_001 }, "VALIDATION_FAILED", "/budget"],
    [{ version: 0 }, "VALIDATION_FAILED", "/version"],
    [{ focus: "tasks" }, "VALIDATION_FAILED", "/focus"],
    [{ focus: "/tasks/nope" }, "NOT_FOUND", "/focus"],
    [{ version: 99 }, "NOT_FOUND", "/version"],
  ])("refuses %j with %s at %s", async (change, code, path) => {
    const workflowId = freshWorkflowId();
    await createWorkflow(workflowId, tasksState());
    const result = await env.AGENTS.context({ workflowId, version: 1, budget: 100, ...change });
    expect(result).toMatchObject({ ok: false, error: { code, path } });
  });

  it("refuses a workflow that does not exist, or no workflow id, at /workflowId", async () => {
    const missing = await ask(freshWorkflowId("nope"), 100);
    expect(missing).toMatchObject({ ok: false, error: { code: "NOT_FOUND", path: "/workflowId" } });
    const empty = await ask("", 100);
    expect(empty).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", path: "/workflowId" },
    });
  });
});

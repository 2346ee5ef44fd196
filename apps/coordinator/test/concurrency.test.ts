import { env } from "cloudflare:workers";
import { unwrap } from "@chorus/core";
import { expect, it } from "vitest";
import { createWorkflow, registerAgent, service } from "./agent-helpers.ts";

it("has 20 agents claim 200 tasks at once: each held by one, each completed once", async () => {
  const workflowId = await createWorkflow();
  for (let i = 0; i < 200; i++) {
    unwrap(
      await service.createTask({ workflowId, author: "test", task: { id: `t${i}`, type: "job" } }),
    );
  }
  const agents = await Promise.all(
    Array.from({ length: 20 }, () =>
      registerAgent({ workflowIds: [workflowId], maxConcurrency: 2 }),
    ),
  );
  const completedBy = new Map<string, string>();
  await Promise.all(
    agents.map(async (agent) => {
      for (;;) {
        const { claims } = unwrap(
          await service.claimTasks({ workflowId, agentId: agent.id, max: 2 }),
        );
        if (claims.length === 0) return;
        for (const { task, lease } of claims) {
          expect(completedBy.has(task.id), `${task.id} claimed after completion`).toBe(false);
          const done = unwrap(
            await service.completeTask({
              workflowId,
              taskId: task.id,
              agentId: agent.id,
              leaseId: lease.id,
            }),
          );
          expect(done.replayed).toBeUndefined();
          completedBy.set(task.id, agent.id);
        }
      }
    }),
  );
  expect(completedBy.size).toBe(200);
  const { tasks } = unwrap(await env.STATE.listTasks({ workflowId }));
  expect(tasks.every((task) => task.status === "completed" && task.attempt === 1)).toBe(true);
  for (const agent of agents) {
    expect(unwrap(await service.getAgent({ agentId: agent.id })).leases).toBe(0);
  }
  // Every claim and completion is a version: 200 creates, at least one claim commit per claim
  // round, and 200 completions, each authored by the agent that held the task.
  const history = unwrap(await env.STATE.history({ workflowId, limit: 1000 }));
  const completions = history.versions.filter((version) =>
    version.changeDescription.toLowerCase().includes("complete"),
  );
  expect(completions).toHaveLength(200);
  expect(new Set(completions.map((v) => v.author))).toEqual(
    new Set([...completedBy.values()].map((id) => `agent:${id}`)),
  );
  // Slow on a shared two-core machine (about 40 s there): 400 task commits through one workflow.
}, 180_000);

import { runInDurableObject } from "cloudflare:test";
import { type TaskClaim, unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { agentShard, createWorkflow, registerAgent, service } from "./agent-helpers.ts";
import { expectError } from "./helpers.ts";

async function addTasks(workflowId: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    unwrap(await service.createTask({ workflowId, author: "test", task: { type: "job" } }));
  }
}

/**
 * A workflow with `tasks` ready tasks and an agent of that one workflow.
 * @returns the workflow's id and the agent
 */
async function boardAgent(tasks: number, maxConcurrency: number) {
  const workflowId = await createWorkflow();
  await addTasks(workflowId, tasks);
  return { workflowId, agent: await registerAgent({ maxConcurrency, workflowIds: [workflowId] }) };
}

/** Drops what the agent's shard knows of its leases and reservations, as a reset could. */
async function forgetLeases(agentId: string): Promise<void> {
  await runInDurableObject(agentShard(agentId), (_, state) => {
    state.storage.sql.exec("DELETE FROM leases WHERE agent_id = ?", agentId);
    state.storage.sql.exec("DELETE FROM reservations WHERE agent_id = ?", agentId);
  });
}

async function claim(workflowId: string, agentId: string, max = 5): Promise<TaskClaim[]> {
  return unwrap(await service.claimTasks({ workflowId, agentId, max })).claims;
}

describe("an agent of one workflow", () => {
  it("has its capacity counted by the task board, whatever its shard lost", async () => {
    const { workflowId, agent } = await boardAgent(4, 2);
    expect(await claim(workflowId, agent.id)).toHaveLength(2);
    await forgetLeases(agent.id);
    expect(await claim(workflowId, agent.id), "the board still holds two leases").toEqual([]);
  });

  it("claims nothing once draining, though its board has room", async () => {
    const { workflowId, agent } = await boardAgent(2, 2);
    expect(await claim(workflowId, agent.id, 1)).toHaveLength(1);
    expect(unwrap(await service.drainAgent({ agentId: agent.id })).deregistered).toBe(false);
    expect(await claim(workflowId, agent.id)).toEqual([]);
  });

  it("has its shard record the leases and the touch soon after, with no other call", async () => {
    const { workflowId, agent } = await boardAgent(1, 1);
    const [claimed] = await claim(workflowId, agent.id);
    const rows = () =>
      runInDurableObject(agentShard(agent.id), (_, state) => {
        const sql = state.storage.sql;
        const leases = sql.exec("SELECT lease_id FROM leases WHERE agent_id = ?", agent.id);
        const seen = sql.exec("SELECT last_seen_at FROM agents WHERE id = ?", agent.id).one();
        return { leases: leases.toArray().map((row) => row.lease_id), seen: seen.last_seen_at };
      });
    await expect.poll(rows).toEqual({ leases: [claimed?.lease.id], seen: expect.any(Number) });
    expect((await rows()).seen).toBeGreaterThan(agent.lastSeenAt);
  });

  it("claims again at once after a completion, and its shard catches up", async () => {
    const { workflowId, agent } = await boardAgent(2, 1);
    const [first] = await claim(workflowId, agent.id);
    if (first === undefined) throw new Error("nothing claimed");
    unwrap(
      await service.completeTask({
        workflowId,
        taskId: first.task.id,
        agentId: agent.id,
        leaseId: first.lease.id,
      }),
    );
    const [second] = await claim(workflowId, agent.id);
    expect(second?.task.id).not.toBe(first.task.id);
    await expect
      .poll(async () => unwrap(await service.getAgent({ agentId: agent.id })).leases)
      .toBe(1);
    expect(unwrap(await service.getAgent({ agentId: agent.id })).status).toBe("busy");
  });
});

describe("leaseEnded", () => {
  it("forgets a lease the board ended without the coordinator, and refuses bad input", async () => {
    const { workflowId, agent } = await boardAgent(1, 1);
    const [held] = await claim(workflowId, agent.id);
    if (held === undefined) throw new Error("nothing claimed");
    const { env } = await import("cloudflare:workers");
    const ref = { workflowId, taskId: held.task.id, leaseId: held.lease.id, agentId: agent.id };
    unwrap(await env.STATE.completeTask(ref));
    expect(unwrap(await service.getAgent({ agentId: agent.id })).leases).toBe(1);
    expect(unwrap(await service.leaseEnded({ agentId: agent.id, leaseId: held.lease.id }))).toBe(
      null,
    );
    expect(unwrap(await service.getAgent({ agentId: agent.id }))).toMatchObject({
      status: "idle",
      leases: 0,
    });
    const missing = { agentId: agent.id } as { agentId: string; leaseId: string };
    const refused = expectError(await service.leaseEnded(missing), "VALIDATION_FAILED");
    expect(refused.path).toBe("/leaseId");
  });
});

describe("an agent of several workflows", () => {
  it("has its capacity reserved on its shard, counted over every workflow", async () => {
    const [a, b] = [await createWorkflow(), await createWorkflow()];
    await addTasks(a, 2);
    await addTasks(b, 2);
    const agent = await registerAgent({ maxConcurrency: 2, workflowIds: [a, b] });
    expect(await claim(a, agent.id, 1)).toHaveLength(1);
    expect(await claim(b, agent.id, 1)).toHaveLength(1);
    expect(await claim(a, agent.id), "both slots are held on the shard").toEqual([]);
    await forgetLeases(agent.id);
    // No board sees both workflows: with its records gone, the shard is all there is.
    expect(await claim(a, agent.id)).toHaveLength(1);
  });
});

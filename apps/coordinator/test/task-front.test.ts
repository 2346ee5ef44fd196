import { env } from "cloudflare:workers";
import { type Task, unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { createWorkflow, registerAgent, service, silence } from "./agent-helpers.ts";
import { expectError } from "./helpers.ts";

async function addTask(workflowId: string, body: Record<string, unknown> = {}) {
  const created = await service.createTask({
    workflowId,
    author: "test",
    task: { type: "review", ...body },
  });
  return unwrap(created).task;
}

async function readTask(workflowId: string, taskId: string): Promise<Task> {
  return unwrap(await env.STATE.getTask({ workflowId, taskId }));
}

describe("claimTasks", () => {
  it("never gives an agent more than maxConcurrency leases across its workflows", async () => {
    const [a, b] = [await createWorkflow(), await createWorkflow()];
    const agent = await registerAgent({ maxConcurrency: 2, workflowIds: [a, b] });
    for (let i = 0; i < 3; i++) {
      await addTask(a);
      await addTask(b);
    }
    const first = unwrap(await service.claimTasks({ workflowId: a, agentId: agent.id, max: 1 }));
    expect(first.claims).toHaveLength(1);
    const second = unwrap(await service.claimTasks({ workflowId: b, agentId: agent.id, max: 5 }));
    expect(second.claims).toHaveLength(1);
    const none = unwrap(await service.claimTasks({ workflowId: a, agentId: agent.id, max: 5 }));
    expect(none.claims).toEqual([]);
    expect(unwrap(await service.getAgent({ agentId: agent.id }))).toMatchObject({
      status: "busy",
      leases: 2,
    });
    const [claim] = first.claims;
    if (claim === undefined) throw new Error("unreachable");
    const done = unwrap(
      await service.completeTask({
        workflowId: a,
        taskId: claim.task.id,
        agentId: agent.id,
        leaseId: claim.lease.id,
        result: { ok: true },
      }),
    );
    expect(done.task.status).toBe("completed");
    expect(done.version.author).toBe(`agent:${agent.id}`);
    const again = unwrap(await service.claimTasks({ workflowId: a, agentId: agent.id, max: 5 }));
    expect(again.claims).toHaveLength(1);
  });

  it("claims only tasks whose capabilities the agent has, and nothing while draining", async () => {
    const workflowId = await createWorkflow();
    const agent = await registerAgent({ capabilities: ["ts"], maxConcurrency: 5 });
    const go = await addTask(workflowId, { requiredCapabilities: ["go"] });
    const ts = await addTask(workflowId, { requiredCapabilities: ["ts"] });
    const claimed = unwrap(await service.claimTasks({ workflowId, agentId: agent.id, max: 5 }));
    expect(claimed.claims.map((c) => c.task.id)).toEqual([ts.id]);
    expect((await readTask(workflowId, go.id)).status).toBe("ready");
    unwrap(await service.drainAgent({ agentId: agent.id }));
    await addTask(workflowId, { requiredCapabilities: ["ts"] });
    const drained = unwrap(await service.claimTasks({ workflowId, agentId: agent.id, max: 5 }));
    expect(drained.claims).toEqual([]);
  });

  it("refuses an unknown agent and bad input, claiming nothing", async () => {
    const workflowId = await createWorkflow();
    const task = await addTask(workflowId);
    const unknown = `ag_${"1".repeat(32)}`;
    expectError(await service.claimTasks({ workflowId, agentId: unknown }), "NOT_FOUND");
    const agent = await registerAgent();
    for (const [input, path] of [
      [{ workflowId, agentId: agent.id, max: 0 }, "/max"],
      [{ workflowId, agentId: agent.id, max: 51 }, "/max"],
      [{ workflowId, agentId: agent.id, leaseMs: 999 }, "/leaseMs"],
      [{ workflowId, agentId: "x" }, "/agentId"],
    ] as const) {
      expect(expectError(await service.claimTasks(input), "VALIDATION_FAILED").path).toBe(path);
    }
    expect((await readTask(workflowId, task.id)).status).toBe("ready");
  });

  it("frees the reserved slot when the task board refuses the claim", async () => {
    const workflowId = await createWorkflow();
    const agent = await registerAgent({ maxConcurrency: 1 });
    const missing = `wf-missing-${crypto.randomUUID()}`;
    const refused = expectError(
      await service.claimTasks({ workflowId: missing, agentId: agent.id }),
      "NOT_FOUND",
    );
    expect(refused.message).toBe("workflow does not exist");
    expect(unwrap(await service.getAgent({ agentId: agent.id }))).toMatchObject({
      status: "idle",
      leases: 0,
    });
    const task = await addTask(workflowId);
    const claimed = unwrap(await service.claimTasks({ workflowId, agentId: agent.id }));
    expect(claimed.claims.map((claim) => claim.task.id)).toEqual([task.id]);
  });
});

describe("cancelTask", () => {
  it("frees the slot of the agent that held the task at once", async () => {
    const workflowId = await createWorkflow();
    const agent = await registerAgent({ maxConcurrency: 1, workflowIds: [workflowId] });
    const first = await addTask(workflowId, { priority: "critical" });
    const second = await addTask(workflowId);
    const claimed = unwrap(await service.claimTasks({ workflowId, agentId: agent.id }));
    expect(claimed.claims.map((claim) => claim.task.id)).toEqual([first.id]);
    expect(unwrap(await service.getAgent({ agentId: agent.id }))).toMatchObject({
      status: "busy",
      leases: 1,
    });
    const cancelled = unwrap(
      await service.cancelTask({ workflowId, taskId: first.id, author: "test" }),
    );
    expect(cancelled.task.status).toBe("cancelled");
    expect(unwrap(await service.getAgent({ agentId: agent.id }))).toMatchObject({
      status: "idle",
      leases: 0,
    });
    const next = unwrap(await service.claimTasks({ workflowId, agentId: agent.id }));
    expect(next.claims.map((claim) => claim.task.id)).toEqual([second.id]);
    const again = unwrap(
      await service.cancelTask({ workflowId, taskId: first.id, author: "test" }),
    );
    expect(again.replayed).toBe(true);
    expect(unwrap(await service.getAgent({ agentId: agent.id })).leases).toBe(1);
  });

  it("refuses bad input and an unknown task, changing nothing", async () => {
    const workflowId = await createWorkflow();
    const task = await addTask(workflowId);
    expect(
      expectError(
        await service.cancelTask({ workflowId, taskId: "nope", author: "t" }),
        "NOT_FOUND",
      ).path,
    ).toBe("/taskId");
    expect(
      expectError(
        await service.cancelTask({ workflowId, taskId: task.id } as never),
        "VALIDATION_FAILED",
      ).path,
    ).toBe("/author");
    expect((await readTask(workflowId, task.id)).status).toBe("ready");
  });
});

describe("offline agents", () => {
  it("releases an offline agent's leases at once; a heartbeat brings it back without them", async () => {
    const workflowId = await createWorkflow();
    const agent = await registerAgent({ ttlMs: 5_000, maxConcurrency: 2 });
    const task = await addTask(workflowId);
    const claimed = unwrap(await service.claimTasks({ workflowId, agentId: agent.id }));
    expect(claimed.claims.map((c) => c.task.id)).toEqual([task.id]);
    await silence(agent.id);
    const released = await readTask(workflowId, task.id);
    expect(released.status).not.toBe("claimed");
    expect(released.attempt).toBe(1);
    const back = unwrap(await service.touchAgent({ agentId: agent.id }));
    expect(back).toMatchObject({ status: "idle", leases: 0 });
    expect(unwrap(await service.agentLeases({ agentId: agent.id }))).toEqual({ leases: [] });
  });
});

describe("createTask with assign: push", () => {
  it("gives the task to the least-loaded live agent with the capabilities and room", async () => {
    const workflowId = await createWorkflow();
    const capability = `cap-${crypto.randomUUID().slice(0, 8)}`;
    const full = await registerAgent({ capabilities: [capability], workflowIds: [workflowId] });
    const other = await registerAgent({ capabilities: ["nope"], workflowIds: [workflowId] });
    const free = await registerAgent({ capabilities: [capability], workflowIds: [workflowId] });
    const first = await addTask(workflowId, {
      requiredCapabilities: [capability],
      priority: "critical",
    });
    unwrap(await service.claimTasks({ workflowId, agentId: full.id }));
    expect((await readTask(workflowId, first.id)).assignee).toBe(full.id);
    const pushed = unwrap(
      await service.createTask({
        workflowId,
        author: "test",
        assign: "push",
        task: { type: "review", requiredCapabilities: [capability] },
      }),
    );
    expect(pushed.task).toMatchObject({ status: "claimed", assignee: free.id });
    expect(unwrap(await service.getAgent({ agentId: other.id })).leases).toBe(0);
    // Nobody left with room: the next push stays ready for a pull.
    const waiting = unwrap(
      await service.createTask({
        workflowId,
        author: "test",
        assign: "push",
        task: { type: "review", requiredCapabilities: [capability] },
      }),
    );
    expect(waiting.task.status).toBe("ready");
  });

  it("claims exactly the pushed task, not the agent's best ready one", async () => {
    const workflowId = await createWorkflow();
    // A capability no other test's agent has, so this agent is the only candidate.
    const capability = `cap-${crypto.randomUUID().slice(0, 8)}`;
    const agent = await registerAgent({ capabilities: [capability], maxConcurrency: 2 });
    const urgent = await addTask(workflowId, {
      priority: "critical",
      requiredCapabilities: [capability],
    });
    const pushed = unwrap(
      await service.createTask({
        workflowId,
        author: "test",
        assign: "push",
        task: { type: "review", priority: "low", requiredCapabilities: [capability] },
      }),
    );
    expect(pushed.task).toMatchObject({ status: "claimed", assignee: agent.id });
    expect((await readTask(workflowId, pushed.task.id)).status).toBe("claimed");
    expect((await readTask(workflowId, urgent.id)).status).toBe("ready");
    const leases = unwrap(await service.agentLeases({ agentId: agent.id })).leases;
    expect(leases.map((lease) => lease.taskId)).toEqual([pushed.task.id]);
  });
});

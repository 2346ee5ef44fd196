import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import {
  agentShard,
  awaitAgentView,
  createWorkflow,
  freshAgentId,
  registerAgent,
  service,
  silence,
} from "./agent-helpers.ts";
import { expectError } from "./helpers.ts";

describe("registerAgent and getAgent", () => {
  it("registers an idle agent with the defaults and reads it back", async () => {
    const before = Date.now();
    const agent = await registerAgent({ metadata: { model: "m1" } });
    expect(agent).toMatchObject({
      name: "r1",
      type: "reviewer",
      capabilities: ["ts"],
      maxConcurrency: 1,
      ttlMs: 30_000,
      workflowIds: null,
      metadata: { model: "m1" },
      status: "idle",
      leases: 0,
      createdBy: "admin",
    });
    expect(agent.lastSeenAt).toBeGreaterThanOrEqual(before);
    expect(unwrap(await service.getAgent({ agentId: agent.id }))).toEqual(agent);
  });

  it("refuses a taken id as ALREADY_EXISTS and keeps the first", async () => {
    const agent = await registerAgent({ name: "first" });
    const again = await service.registerAgent({
      agentId: agent.id,
      spec: { name: "second", type: "reviewer", capabilities: [] },
      createdBy: "admin",
    });
    expect(expectError(again, "ALREADY_EXISTS").path).toBe("/agentId");
    expect(unwrap(await service.getAgent({ agentId: agent.id })).name).toBe("first");
  });

  it("refuses bad input with the offending path and stores nothing", async () => {
    const agentId = freshAgentId();
    const cases: [unknown, string][] = [
      [
        { agentId: "a1", spec: { name: "r", type: "t", capabilities: [] }, createdBy: "x" },
        "/agentId",
      ],
      [
        { agentId, spec: { name: "r", type: "t", capabilities: [], ttlMs: 4_999 }, createdBy: "x" },
        "/spec/ttlMs",
      ],
      [
        {
          agentId,
          spec: { name: "r", type: "t", capabilities: [], maxConcurrency: 0 },
          createdBy: "x",
        },
        "/spec/maxConcurrency",
      ],
      [{ agentId, spec: { name: "r", type: "t" }, createdBy: "x" }, "/spec/capabilities"],
      [{ agentId, spec: { name: "r", type: "t", capabilities: [] } }, "/createdBy"],
    ];
    for (const [input, path] of cases) {
      // @ts-expect-error deliberately malformed
      const error = expectError(await service.registerAgent(input), "VALIDATION_FAILED");
      expect(error.path, JSON.stringify(input)).toBe(path);
    }
    expectError(await service.getAgent({ agentId }), "NOT_FOUND");
    expect(expectError(await service.getAgent({ agentId: "nope" }), "VALIDATION_FAILED").path).toBe(
      "/agentId",
    );
  });
});

describe("listAgents", () => {
  it("filters by type, capability, status and workflow across shards", async () => {
    const workflowId = `wf-${crypto.randomUUID()}`;
    const type = `t-${crypto.randomUUID().slice(0, 8)}`;
    const a = await registerAgent({ type, capabilities: ["go", "ts"], workflowIds: [workflowId] });
    const b = await registerAgent({ type, capabilities: ["py"] });
    const c = await registerAgent({ type, capabilities: ["ts"] });
    const ids = async (query: object) =>
      unwrap(await service.listAgents({ type, ...query })).map((agent) => agent.id);
    expect(await ids({})).toEqual([a.id, b.id, c.id]);
    expect(await ids({ capability: "ts" })).toEqual([a.id, c.id]);
    expect(await ids({ workflowId })).toEqual([a.id]);
    await silence(b.id);
    expect(await ids({ status: "offline" })).toEqual([b.id]);
    expect(await ids({ status: "idle" })).toEqual([a.id, c.id]);
    const bad = await service.listAgents({ status: "asleep" as "idle" });
    expect(expectError(bad, "VALIDATION_FAILED").path).toBe("/status");
  });
});

describe("heartbeats and offline", () => {
  it("moves lastSeenAt on a touch, and refuses an unknown agent", async () => {
    const agent = await registerAgent();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const touched = unwrap(await service.touchAgent({ agentId: agent.id }));
    expect(touched.lastSeenAt).toBeGreaterThan(agent.lastSeenAt);
    expectError(await service.touchAgent({ agentId: freshAgentId() }), "NOT_FOUND");
  });

  it("sends an agent unheard for ttlMs offline, and brings it back idle on a heartbeat", async () => {
    const agent = await registerAgent({ ttlMs: 5_000 });
    const kept = await registerAgent({ ttlMs: 5_000 });
    await silence(agent.id);
    expect(unwrap(await service.getAgent({ agentId: agent.id })).status).toBe("offline");
    // Only the silent one: the alarm does not touch agents still in time.
    expect(unwrap(await service.getAgent({ agentId: kept.id })).status).toBe("idle");
    const back = unwrap(await service.touchAgent({ agentId: agent.id }));
    expect(back).toMatchObject({ status: "idle", leases: 0 });
  });

  it("arms its shard's alarm at the next agent's deadline", async () => {
    const agent = await registerAgent({ ttlMs: 3_600_000 });
    const alarm = await runInDurableObject(agentShard(agent.id), (_, state) =>
      state.storage.getAlarm(),
    );
    expect(alarm).not.toBeNull();
    expect(alarm).toBeLessThanOrEqual(agent.lastSeenAt + 3_600_000);
  });
});

describe("capacity", () => {
  it("reserves no more than maxConcurrency counted over every workflow, none when draining", async () => {
    const agent = await registerAgent({ maxConcurrency: 2 });
    const shard = agentShard(agent.id);
    const reserve = (workflowId: string, max: number) =>
      shard.reserve({ agentId: agent.id, workflowId, max, leaseMs: 30_000 }).then(unwrap);
    const first = await reserve("wf-a", 5);
    expect(first.slots).toBe(2);
    expect((await reserve("wf-b", 1)).slots).toBe(0);
    const expiresAt = Date.now() + 30_000;
    const leaseId = crypto.randomUUID();
    const settled = unwrap(
      await shard.settle({
        agentId: agent.id,
        workflowId: "wf-a",
        reservationId: first.reservationId ?? "",
        leases: [{ leaseId, taskId: "t1", expiresAt }],
      }),
    );
    expect(settled).toMatchObject({ status: "busy", leases: 1 });
    expect((await reserve("wf-b", 5)).slots).toBe(1);
    expect(unwrap(await service.agentLeases({ agentId: agent.id }))).toEqual({
      leases: [{ workflowId: "wf-a", taskId: "t1", leaseId, expiresAt }],
    });
    const drained = unwrap(await service.drainAgent({ agentId: agent.id }));
    expect(drained).toMatchObject({ deregistered: false, agent: { status: "draining" } });
    expect((await reserve("wf-a", 1)).slots).toBe(0);
  });

  it("frees a reservation nobody settled once it would have expired", async () => {
    const agent = await registerAgent();
    const shard = agentShard(agent.id);
    const taken = unwrap(
      await shard.reserve({ agentId: agent.id, workflowId: "wf", max: 1, leaseMs: 1_000 }),
    );
    expect(taken.slots).toBe(1);
    await runInDurableObject(shard, (_, state) => {
      state.storage.sql.exec("UPDATE reservations SET expires_at = ?", Date.now() - 1);
    });
    const again = unwrap(
      await shard.reserve({ agentId: agent.id, workflowId: "wf", max: 1, leaseMs: 1_000 }),
    );
    expect(again.slots).toBe(1);
  });

  it("refuses a claim in a workflow the agent does not work on", async () => {
    const agent = await registerAgent({ workflowIds: ["wf-mine"] });
    const error = expectError(
      await agentShard(agent.id).reserve({
        agentId: agent.id,
        workflowId: "wf-other",
        max: 1,
        leaseMs: 30_000,
      }),
      "VALIDATION_FAILED",
    );
    expect(error.path).toBe("/agentId");
  });
});

describe("drain and deregister", () => {
  it("deregisters an agent without leases at once: then it is NOT_FOUND", async () => {
    const agent = await registerAgent();
    const drained = unwrap(await service.drainAgent({ agentId: agent.id }));
    expect(drained).toEqual({ agent, deregistered: true });
    expectError(await service.getAgent({ agentId: agent.id }), "NOT_FOUND");
    expectError(await service.touchAgent({ agentId: agent.id }), "NOT_FOUND");
  });

  it("deregisters a draining agent once its leases have ended", async () => {
    const agent = await registerAgent();
    const shard = agentShard(agent.id);
    const { reservationId } = unwrap(
      await shard.reserve({ agentId: agent.id, workflowId: "wf", max: 1, leaseMs: 30_000 }),
    );
    // Lease ids are unique per shard: another test's agent may share this one's shard.
    const lease = { leaseId: crypto.randomUUID(), taskId: "t1", expiresAt: Date.now() + 30_000 };
    await shard.settle({
      agentId: agent.id,
      workflowId: "wf",
      reservationId: reservationId ?? "",
      leases: [lease],
    });
    expect(unwrap(await service.drainAgent({ agentId: agent.id })).deregistered).toBe(false);
    unwrap(await shard.updateLease({ agentId: agent.id, leaseId: lease.leaseId }));
    expect(unwrap(await service.drainAgent({ agentId: agent.id })).deregistered).toBe(true);
  });
});

describe("endLease", () => {
  it("answers at once, and a call that arrives after the answer sees the slot free", async () => {
    const agent = await registerAgent({ maxConcurrency: 1 });
    const shard = agentShard(agent.id);
    const { reservationId } = unwrap(
      await shard.reserve({ agentId: agent.id, workflowId: "wf", max: 1, leaseMs: 30_000 }),
    );
    const lease = { leaseId: crypto.randomUUID(), taskId: "t1", expiresAt: Date.now() + 30_000 };
    unwrap(
      await shard.settle({
        agentId: agent.id,
        workflowId: "wf",
        reservationId: reservationId ?? "",
        leases: [lease],
      }),
    );
    expect(unwrap(await service.getAgent({ agentId: agent.id })).leases).toBe(1);
    expect(unwrap(await shard.endLease({ agentId: agent.id, leaseId: lease.leaseId }))).toBeNull();
    expect(unwrap(await service.getAgent({ agentId: agent.id }))).toMatchObject({
      status: "idle",
      leases: 0,
    });
    const again = unwrap(
      await shard.reserve({ agentId: agent.id, workflowId: "wf", max: 1, leaseMs: 30_000 }),
    );
    expect(again.slots).toBe(1);
  });

  it("refuses bad input with its path", async () => {
    const agent = await registerAgent();
    const shard = agentShard(agent.id);
    expect(expectError(await shard.endLease({ agentId: agent.id }), "VALIDATION_FAILED").path).toBe(
      "/leaseId",
    );
  });
});

describe("status in the workflow's state", () => {
  it("writes the agent's status to /agents/{agentId} of its workflows, and removes it at deregistration", async () => {
    const workflowId = await createWorkflow();
    const agent = await registerAgent({ workflowIds: [workflowId] });
    expect(await awaitAgentView(workflowId, agent.id, "idle")).toEqual({
      id: agent.id,
      type: "reviewer",
      status: "idle",
      capabilities: ["ts"],
      lastSeen: agent.lastSeenAt,
    });
    await silence(agent.id);
    await awaitAgentView(workflowId, agent.id, "offline");
    unwrap(await service.touchAgent({ agentId: agent.id }));
    await awaitAgentView(workflowId, agent.id, "idle");
    unwrap(await service.drainAgent({ agentId: agent.id }));
    await awaitAgentView(workflowId, agent.id, null);
  });

  it("authors the status commits coordinator", async () => {
    const workflowId = await createWorkflow();
    const agent = await registerAgent({ workflowIds: [workflowId] });
    await awaitAgentView(workflowId, agent.id, "idle");
    const { env } = await import("cloudflare:workers");
    const page = unwrap(await env.STATE.history({ workflowId }));
    expect(page.versions[0]?.author).toBe("coordinator");
  });

  it("writes an idle/busy flip only when it has not come back by the time it is due", async () => {
    const { env } = await import("cloudflare:workers");
    const workflowId = await createWorkflow();
    const agent = await registerAgent({ workflowIds: [workflowId] });
    await awaitAgentView(workflowId, agent.id, "idle");
    unwrap(
      await service.createTask({ workflowId, author: "test", task: { id: "t1", type: "job" } }),
    );
    unwrap(
      await service.createTask({ workflowId, author: "test", task: { id: "t2", type: "job" } }),
    );
    const statusCommits = async () =>
      unwrap(await env.STATE.history({ workflowId })).versions.filter(
        (version) => version.author === "coordinator",
      ).length;
    const flush = async () => {
      const shard = agentShard(agent.id);
      // A read runs the writes queued after earlier answers, which queue the flips.
      unwrap(await service.getAgent({ agentId: agent.id }));
      await runInDurableObject(shard, (_, state) => {
        state.storage.sql.exec("UPDATE pending_statuses SET due_at = 0");
      });
      await runDurableObjectAlarm(shard);
      return runInDurableObject(shard, (_, state) =>
        state.storage.sql.exec("SELECT COUNT(*) AS n FROM pending_statuses").one(),
      );
    };
    const cycle = async (taskId: string, between: () => Promise<unknown>) => {
      const [claim] = unwrap(
        await service.claimTasks({ workflowId, agentId: agent.id, max: 1 }),
      ).claims;
      await between();
      const leaseId = claim?.lease.id ?? "";
      unwrap(await service.completeTask({ workflowId, taskId, agentId: agent.id, leaseId }));
    };
    const before = await statusCommits();
    // Busy and idle again before the flip was due: the workflow already shows idle.
    await cycle("t1", async () => undefined);
    expect((await flush()).n).toBe(0);
    expect(await statusCommits()).toBe(before);
    // Busy long enough for the flip to go out: busy, then idle, are both written.
    await cycle("t2", async () => {
      await flush();
      await awaitAgentView(workflowId, agent.id, "busy");
    });
    await flush();
    await awaitAgentView(workflowId, agent.id, "idle");
    expect(await statusCommits()).toBe(before + 2);
  });
});

import { env } from "cloudflare:workers";
import { unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import {
  commitPatch,
  createWorkflow,
  eventually,
  freshWorkflowId,
  oneVersionDelivery,
  spawnedAgent,
} from "./helpers.ts";

describe("spawn", () => {
  it("spawns one agent per workflow and type, registered with the coordinator", async () => {
    const workflowId = freshWorkflowId();
    await createWorkflow(workflowId);
    const first = unwrap(
      await env.AGENTS.spawnAgent({ workflowId, type: "pattern-bridge", createdBy: "alice" }),
    );
    expect(first.created).toBe(true);
    expect(first.agent).toMatchObject({ workflowId, type: "pattern-bridge", createdBy: "alice" });
    expect(first.agent.status).toBe("running");
    const again = unwrap(
      await env.AGENTS.spawnAgent({ workflowId, type: "pattern-bridge", createdBy: "alice" }),
    );
    expect(again.created).toBe(false);
    expect(again.agent.agentId).toBe(first.agent.agentId);
    const registered = unwrap(await env.COORDINATOR.getAgent({ agentId: first.agent.agentId }));
    expect(registered).toMatchObject({ type: "pattern-bridge", workflowIds: [workflowId] });
    const listed = unwrap(await env.AGENTS.listAgents({ workflowId }));
    expect(listed.map((agent) => agent.agentId)).toEqual([first.agent.agentId]);
  });

  it("refuses another config while one runs, at /config, and changes nothing", async () => {
    const workflowId = freshWorkflowId();
    const spawned = unwrap(
      await env.AGENTS.spawnAgent({ workflowId, type: "pattern-bridge", createdBy: "alice" }),
    );
    const refused = await env.AGENTS.spawnAgent({
      workflowId,
      type: "pattern-bridge",
      config: { other: true },
      createdBy: "alice",
    });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: "ALREADY_EXISTS", path: "/config" },
    });
    const listed = unwrap(await env.AGENTS.listAgents({ workflowId }));
    expect(listed).toEqual([
      expect.objectContaining({ agentId: spawned.agent.agentId, config: {} }),
    ]);
  });

  it("refuses an unknown type and bad ids with their paths", async () => {
    const workflowId = freshWorkflowId();
    const unknownType = await env.AGENTS.spawnAgent({
      workflowId,
      type: "nope" as "pattern-bridge",
      createdBy: "alice",
    });
    expect(unknownType).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", path: "/type" },
    });
    const badAgent = await env.AGENTS.stopAgent({ workflowId, agentId: "x" });
    expect(badAgent).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", path: "/agentId" },
    });
    const missing = await env.AGENTS.stopAgent({ workflowId, agentId: `ag_${"0".repeat(32)}` });
    expect(missing).toMatchObject({ ok: false, error: { code: "NOT_FOUND", path: "/agentId" } });
    expect(unwrap(await env.AGENTS.listAgents({ workflowId }))).toEqual([]);
  });

  it("receives its workflow's commits through the state manager's outbox", async () => {
    const workflowId = freshWorkflowId();
    await createWorkflow(workflowId);
    const { agent } = unwrap(
      await env.AGENTS.spawnAgent({ workflowId, type: "pattern-bridge", createdBy: "alice" }),
    );
    await commitPatch(workflowId, [{ op: "add", path: "/data/a", value: 1 }]);
    const v3 = await commitPatch(workflowId, [{ op: "add", path: "/data/b", value: 2 }]);
    // The coordinator's agent-status commits (/agents/{agentId}) arrive too: at least these two.
    const seen = await eventually(
      () => spawnedAgent(workflowId, agent.agentId),
      (now) => now.appliedVersion >= v3 && (now.metrics.changesHandled ?? 0) >= 2,
    );
    expect(seen.metrics.changesReceived).toBeGreaterThanOrEqual(2);
  });

  it("pauses its workflow's deliveries while no agent runs, and resumes them to start one", async () => {
    const workflowId = freshWorkflowId();
    await createWorkflow(workflowId);
    const idle = await env.AGENTS.deliverChanges(oneVersionDelivery(workflowId, 1));
    expect(idle).toEqual({ ok: true, value: { upTo: 1, pause: true } });
    // Version 1's own delivery pauses the directory within milliseconds; give it ample time,
    // so that only the spawn's resume can bring version 2 to the agent.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { agent } = unwrap(
      await env.AGENTS.spawnAgent({ workflowId, type: "pattern-bridge", createdBy: "alice" }),
    );
    const v2 = await commitPatch(workflowId, [{ op: "add", path: "/data/a", value: 1 }]);
    await eventually(
      () => spawnedAgent(workflowId, agent.agentId),
      (now) => now.appliedVersion >= v2,
    );
    unwrap(await env.AGENTS.stopAgent({ workflowId, agentId: agent.agentId }));
    const stopped = await env.AGENTS.deliverChanges(oneVersionDelivery(workflowId, v2 + 1));
    expect(stopped).toEqual({ ok: true, value: { upTo: v2 + 1, pause: true } });
  });

  it("stops: drains, deregisters from the coordinator, leaves the list, and spawns anew", async () => {
    const workflowId = freshWorkflowId();
    const { agent } = unwrap(
      await env.AGENTS.spawnAgent({ workflowId, type: "pattern-bridge", createdBy: "alice" }),
    );
    const stopped = unwrap(await env.AGENTS.stopAgent({ workflowId, agentId: agent.agentId }));
    expect(stopped.status).toBe("stopped");
    expect(stopped.stoppedAt).toBeTypeOf("number");
    const gone = await env.COORDINATOR.getAgent({ agentId: agent.agentId });
    expect(gone).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(unwrap(await env.AGENTS.listAgents({ workflowId }))).toEqual([]);
    expect(unwrap(await env.AGENTS.getAgent({ workflowId, agentId: agent.agentId })).status).toBe(
      "stopped",
    );
    const again = unwrap(
      await env.AGENTS.spawnAgent({ workflowId, type: "pattern-bridge", createdBy: "bob" }),
    );
    expect(again.created).toBe(true);
    expect(again.agent.agentId).not.toBe(agent.agentId);
  });
});

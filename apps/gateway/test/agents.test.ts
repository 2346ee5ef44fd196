import type { AgentRecord } from "@chorus/core";
import { describe, expect, it } from "vitest";
import {
  ADMIN,
  api,
  createWorkflow,
  expectStatus,
  issueToken,
  type Problem,
  registerAgent,
} from "./helpers.ts";

type History = { versions: { version: number; author: string }[] };

describe("POST /api/agents", () => {
  it("registers an idle agent and issues a writer token limited to its workflows", async () => {
    const { id } = await createWorkflow();
    const response = await api("/api/agents", {
      method: "POST",
      token: ADMIN,
      json: { name: "r1", type: "reviewer", capabilities: ["ts"], workflowIds: [id] },
    });
    const { agent, token } = await expectStatus<{ agent: AgentRecord; token: string }>(
      response,
      201,
    );
    expect(response.headers.get("location")).toBe(`/api/agents/${agent.id}`);
    expect(agent).toMatchObject({
      status: "idle",
      maxConcurrency: 1,
      ttlMs: 30_000,
      workflowIds: [id],
    });
    expect(agent.id).toMatch(/^ag_[0-9a-f]{32}$/);
    const { tokens } = await expectStatus<{
      tokens: { id: string; name: string; role: string; workflowIds: string[] }[];
    }>(api("/api/tokens", { token: ADMIN }), 200);
    expect(tokens.find((t) => t.id === agent.tokenId)).toMatchObject({
      name: `agent:${agent.id}`,
      role: "writer",
      workflowIds: [id],
    });
    // Its commits are authored agent:<id>; other workflows are closed to it.
    const committed = await expectStatus<{ version: { version: number } }>(
      api(`/api/workflows/${id}/state`, {
        method: "PATCH",
        token,
        json: [{ op: "replace", path: "/name", value: "By agent" }],
        contentType: "application/json-patch+json",
      }),
      201,
    );
    const history = await expectStatus<History>(
      api(`/api/workflows/${id}/history`, { token }),
      200,
    );
    const version = history.versions.find((v) => v.version === committed.version.version);
    expect(version?.author).toBe(`agent:${agent.id}`);
    const other = await createWorkflow();
    await expectStatus(api(`/api/workflows/${other.id}/state`, { token }), 403);
  });

  it("lets a limited writer register agents for its own workflows only", async () => {
    const mine = await createWorkflow();
    const theirs = await createWorkflow();
    const writer = (await issueToken("writer", [mine.id])).token;
    const { agent } = await registerAgent({}, writer);
    expect(agent.workflowIds).toEqual([mine.id]);
    const refused = await expectStatus<Problem>(
      api("/api/agents", {
        method: "POST",
        token: writer,
        json: { name: "r", type: "t", capabilities: [], workflowIds: [mine.id, theirs.id] },
      }),
      403,
    );
    expect(refused.errors?.[0]?.path).toBe("/workflowIds");
    const reader = (await issueToken("reader")).token;
    await expectStatus(
      api("/api/agents", {
        method: "POST",
        token: reader,
        json: { name: "r", type: "t", capabilities: [] },
      }),
      403,
    );
  });

  it("refuses bad bodies with the offending path, and registers nothing", async () => {
    const type = `t-${crypto.randomUUID().slice(0, 8)}`;
    const cases: [unknown, string][] = [
      [{ name: "r", type, capabilities: [], ttlMs: 4_999 }, "/ttlMs"],
      [{ name: "r", type, capabilities: [], ttlMs: 3_600_001 }, "/ttlMs"],
      [{ name: "r", type, capabilities: [], maxConcurrency: 0 }, "/maxConcurrency"],
      [{ name: "r", type }, "/capabilities"],
      [{ name: "r", type, capabilities: [1] }, "/capabilities/0"],
      [{ name: "r", type, capabilities: [], extra: true }, "/extra"],
      [{ name: "r", type, capabilities: [], workflowIds: [] }, "/workflowIds"],
    ];
    for (const [json, path] of cases) {
      const problem = await expectStatus<Problem>(
        api("/api/agents", { method: "POST", token: ADMIN, json }),
        422,
      );
      expect(problem.errors?.[0]?.path, JSON.stringify(json)).toBe(path);
    }
    const { agents } = await expectStatus<{ agents: unknown[] }>(
      api(`/api/agents?type=${type}`, { token: ADMIN }),
      200,
    );
    expect(agents).toEqual([]);
  });
});

/** Polls the agent until it was heard after `agent.lastSeenAt` (the touch runs after the answer). */
async function lastSeenAfter(agent: AgentRecord): Promise<number> {
  let seen = agent.lastSeenAt;
  for (let attempt = 0; attempt < 50 && seen === agent.lastSeenAt; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const read = await expectStatus<{ agent: AgentRecord }>(
      api(`/api/agents/${agent.id}`, { token: ADMIN }),
      200,
    );
    seen = read.agent.lastSeenAt;
  }
  return seen;
}

describe("agents acting as themselves", () => {
  it("lets an agent heartbeat itself but not another agent", async () => {
    const { id } = await createWorkflow();
    const one = await registerAgent({ workflowIds: [id] });
    const two = await registerAgent({ workflowIds: [id] });
    const heard = await expectStatus<{ agent: AgentRecord }>(
      api(`/api/agents/${one.agent.id}/heartbeat`, { method: "POST", token: one.token }),
      200,
    );
    expect(heard.agent.lastSeenAt).toBeGreaterThanOrEqual(one.agent.lastSeenAt);
    await expectStatus(
      api(`/api/agents/${two.agent.id}/heartbeat`, { method: "POST", token: one.token }),
      403,
    );
    await expectStatus(
      api(`/api/agents/${two.agent.id}`, { method: "DELETE", token: one.token }),
      403,
    );
    await expectStatus(api(`/api/agents/${two.agent.id}`, { token: one.token }), 403);
    const { agents } = await expectStatus<{ agents: AgentRecord[] }>(
      api(`/api/agents?workflowId=${id}`, { token: one.token }),
      200,
    );
    expect(agents.map((agent) => agent.id)).toEqual([one.agent.id]);
  });

  it("counts any request made with the agent's token as hearing from it", async () => {
    const { id } = await createWorkflow();
    const { agent, token } = await registerAgent({ workflowIds: [id] });
    await new Promise((resolve) => setTimeout(resolve, 10));
    await expectStatus(api(`/api/workflows/${id}/state`, { token }), 200);
    expect(await lastSeenAfter(agent)).toBeGreaterThan(agent.lastSeenAt);
  });

  it("counts a refused request with the agent's token as hearing from it too", async () => {
    const { id } = await createWorkflow();
    const other = await createWorkflow();
    const { agent, token } = await registerAgent({ workflowIds: [id] });
    await new Promise((resolve) => setTimeout(resolve, 10));
    await expectStatus(api(`/api/workflows/${other.id}/state`, { token }), 403);
    expect(await lastSeenAfter(agent)).toBeGreaterThan(agent.lastSeenAt);
  });

  it("hears the agent through a claim's own call, by the time the claim is answered", async () => {
    const { id } = await createWorkflow();
    const { agent, token } = await registerAgent({ workflowIds: [id] });
    await new Promise((resolve) => setTimeout(resolve, 10));
    await expectStatus(
      api(`/api/workflows/${id}/tasks/claim`, {
        method: "POST",
        token,
        json: { agentId: agent.id },
      }),
      200,
    );
    const read = await expectStatus<{ agent: AgentRecord }>(
      api(`/api/agents/${agent.id}`, { token: ADMIN }),
      200,
    );
    expect(read.agent.lastSeenAt).toBeGreaterThan(agent.lastSeenAt);
  });
});

describe("GET /api/agents", () => {
  it("filters by type, capability and status, and refuses bad filters", async () => {
    const type = `t-${crypto.randomUUID().slice(0, 8)}`;
    const a = await registerAgent({ type, capabilities: ["go"] });
    const b = await registerAgent({ type, capabilities: ["py"] });
    const list = async (query: string) =>
      (
        await expectStatus<{ agents: AgentRecord[] }>(
          api(`/api/agents?type=${type}${query}`, { token: ADMIN }),
          200,
        )
      ).agents.map((agent) => agent.id);
    expect(await list("")).toEqual([a.agent.id, b.agent.id]);
    expect(await list("&capability=py")).toEqual([b.agent.id]);
    expect(await list("&status=idle")).toEqual([a.agent.id, b.agent.id]);
    expect(await list("&status=offline")).toEqual([]);
    const bad = await expectStatus<Problem>(
      api("/api/agents?status=asleep", { token: ADMIN }),
      422,
    );
    expect(bad.errors?.[0]?.path).toBe("/query/status");
    const badId = await expectStatus<Problem>(api("/api/agents/a1", { token: ADMIN }), 422);
    expect(badId.errors?.[0]?.path).toBe("/params/agentId");
    await expectStatus(api(`/api/agents/ag_${"0".repeat(32)}`, { token: ADMIN }), 404);
  });

  it("lists an agent's leases: none before it claims", async () => {
    const { agent, token } = await registerAgent();
    expect(await expectStatus(api(`/api/agents/${agent.id}/leases`, { token }), 200)).toEqual({
      leases: [],
    });
  });
});

describe("DELETE /api/agents/{agentId}", () => {
  it("deregisters an agent without leases and revokes its token", async () => {
    const { id } = await createWorkflow();
    const { agent, token } = await registerAgent({ workflowIds: [id] });
    await expectStatus(api(`/api/agents/${agent.id}`, { method: "DELETE", token: ADMIN }), 204);
    await expectStatus(api(`/api/agents/${agent.id}`, { token: ADMIN }), 404);
    await expectStatus(
      api(`/api/agents/${agent.id}/heartbeat`, { method: "POST", token: ADMIN }),
      404,
    );
    await expectStatus(api(`/api/workflows/${id}/state`, { token }), 401);
  });
});

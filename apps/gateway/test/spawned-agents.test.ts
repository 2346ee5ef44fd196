import { describe, expect, it } from "vitest";
import { ADMIN, api, createWorkflow, expectStatus, issueToken, type Problem } from "./helpers.ts";

type Answer = {
  agent: { agentId: string; workflowId: string; type: string; status: string; config: object };
};

const spawn = (id: string, json: unknown, token = ADMIN) =>
  api(`/api/workflows/${id}/agents`, { method: "POST", token, json });

describe("POST /api/workflows/{id}/agents", () => {
  it("spawns the workflow's agent of a type: 201, the same request again 200 the same agent", async () => {
    const { id } = await createWorkflow();
    const response = await spawn(id, { type: "pattern-bridge" });
    const created = await expectStatus<Answer>(response, 201);
    expect(created.agent).toMatchObject({
      workflowId: id,
      type: "pattern-bridge",
      status: "running",
      config: {},
      createdBy: "admin",
    });
    expect(response.headers.get("location")).toBe(
      `/api/workflows/${id}/agents/${created.agent.agentId}`,
    );
    const again = await expectStatus<Answer>(spawn(id, { type: "pattern-bridge" }), 200);
    expect(again.agent.agentId).toBe(created.agent.agentId);
    const listed = await expectStatus<{ agents: Answer["agent"][] }>(
      api(`/api/workflows/${id}/agents`, { token: ADMIN }),
      200,
    );
    expect(listed.agents.map((agent) => agent.agentId)).toEqual([created.agent.agentId]);
    // It is an agent of the coordinator too, limited to the workflow.
    const registered = await expectStatus<{ agent: { type: string; workflowIds: string[] } }>(
      api(`/api/agents/${created.agent.agentId}`, { token: ADMIN }),
      200,
    );
    expect(registered.agent).toMatchObject({ type: "pattern-bridge", workflowIds: [id] });
  });

  it("refuses bad bodies with the offending path, spawning nothing", async () => {
    const { id } = await createWorkflow();
    const cases: [unknown, string][] = [
      [{}, "/type"],
      [{ type: "nope" }, "/type"],
      [{ type: "pattern-bridge", config: [] }, "/config"],
      [{ type: "pattern-bridge", config: "x" }, "/config"],
      [{ type: "pattern-bridge", extra: 1 }, "/extra"],
      [[], ""],
    ];
    for (const [body, path] of cases) {
      const problem = await expectStatus<Problem>(spawn(id, body), 422);
      expect(problem.errors?.[0]?.path, JSON.stringify(body)).toBe(path);
    }
    const listed = await expectStatus<{ agents: unknown[] }>(
      api(`/api/workflows/${id}/agents`, { token: ADMIN }),
      200,
    );
    expect(listed.agents).toEqual([]);
  });

  it("refuses another config while one runs (409 at /config), an unknown workflow (404)", async () => {
    const { id } = await createWorkflow();
    await expectStatus(spawn(id, { type: "pattern-bridge" }), 201);
    const taken = await expectStatus<Problem>(
      spawn(id, { type: "pattern-bridge", config: { other: 1 } }),
      409,
    );
    expect(taken.errors?.[0]?.path).toBe("/config");
    const missing = await expectStatus<Problem>(
      spawn("no-such-workflow", { type: "pattern-bridge" }),
      404,
    );
    expect(missing.errors?.[0]?.path).toBe("/params/id");
  });

  it("is refused to a reader token (403)", async () => {
    const { id } = await createWorkflow();
    const { token } = await issueToken("reader");
    await expectStatus(spawn(id, { type: "pattern-bridge" }, token), 403);
  });
});

describe("DELETE /api/workflows/{id}/agents/{agentId}", () => {
  it("drains and stops the agent: it leaves the list and the coordinator", async () => {
    const { id } = await createWorkflow();
    const { agent } = await expectStatus<Answer>(spawn(id, { type: "pattern-bridge" }), 201);
    const at = `/api/workflows/${id}/agents/${agent.agentId}`;
    const stopped = await expectStatus<Answer>(api(at, { method: "DELETE", token: ADMIN }), 200);
    expect(stopped.agent.status).toBe("stopped");
    const listed = await expectStatus<{ agents: unknown[] }>(
      api(`/api/workflows/${id}/agents`, { token: ADMIN }),
      200,
    );
    expect(listed.agents).toEqual([]);
    await expectStatus(api(`/api/agents/${agent.agentId}`, { token: ADMIN }), 404);
    // Stopping it again answers the stopped agent; spawning again makes a new one.
    await expectStatus(api(at, { method: "DELETE", token: ADMIN }), 200);
    const fresh = await expectStatus<Answer>(spawn(id, { type: "pattern-bridge" }), 201);
    expect(fresh.agent.agentId).not.toBe(agent.agentId);
  });

  it("refuses a malformed agent id (422 at /params/agentId) and an unknown one (404)", async () => {
    const { id } = await createWorkflow();
    const bad = await expectStatus<Problem>(
      api(`/api/workflows/${id}/agents/nope`, { method: "DELETE", token: ADMIN }),
      422,
    );
    expect(bad.errors?.[0]?.path).toBe("/params/agentId");
    const unknown = await expectStatus<Problem>(
      api(`/api/workflows/${id}/agents/ag_${"0".repeat(32)}`, { method: "DELETE", token: ADMIN }),
      404,
    );
    expect(unknown.errors?.[0]?.path).toBe("/params/agentId");
  });
});

describe("GET /api/workflows/{id}/agents", () => {
  it("refuses a bad workflow id and an unknown workflow", async () => {
    const bad = await expectStatus<Problem>(
      api(`/api/workflows/${"x".repeat(200)}/agents`, { token: ADMIN }),
      422,
    );
    expect(bad.errors?.[0]?.path).toBe("/params/id");
    await expectStatus(api("/api/workflows/no-such-workflow/agents", { token: ADMIN }), 404);
  });
});

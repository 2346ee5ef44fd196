import type { CreatedWorkflow, Problem, WorkflowPage, WorkflowRecord } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { ADMIN, api, createWorkflow, expectStatus, issueToken } from "./helpers.ts";

const create = (json: unknown, token = ADMIN) =>
  api("/api/workflows", { method: "POST", token, json });

describe("POST /api/workflows", () => {
  it("commits version 1 and registers the workflow as pending", async () => {
    const writer = await issueToken("writer", undefined, "planner");
    const response = await create(
      {
        name: "Release 1.4",
        description: "Ship it",
        priority: "high",
        context: { userId: "u1", tags: ["release", "ci"] },
        initialState: { name: "Release 1.4", tasks: {} },
      },
      writer.token,
    );
    const body = await expectStatus<CreatedWorkflow>(Promise.resolve(response.clone()), 201);
    expect(body.workflow).toMatchObject({
      name: "Release 1.4",
      description: "Ship it",
      status: "pending",
      priority: "high",
      tags: ["release", "ci"],
      userId: "u1",
      createdBy: "token:planner",
    });
    expect(body.workflow.id).toMatch(/^wf_[0-9a-f]{32}$/);
    expect(body.version).toMatchObject({ version: 1, branch: "main", author: "token:planner" });
    expect(response.headers.get("location")).toBe(`/api/workflows/${body.workflow.id}`);
    const state = await expectStatus(
      api(`/api/workflows/${body.workflow.id}/state`, { token: ADMIN }),
      200,
    );
    expect(state.state).toEqual({ name: "Release 1.4", tasks: {} });
  });

  it("starts from {} without initialState, with normal priority", async () => {
    const body = await expectStatus<{ workflow: { id: string; priority: string } }>(
      create({ name: "Empty" }),
      201,
    );
    expect(body.workflow.priority).toBe("normal");
    const state = await expectStatus(
      api(`/api/workflows/${body.workflow.id}/state`, { token: ADMIN }),
      200,
    );
    expect(state.state).toEqual({});
  });

  it.each([
    ["no name", {}, "/name"],
    ["a blank name", { name: "  " }, "/name"],
    ["an unknown priority", { name: "x", priority: "urgent" }, "/priority"],
    ["an unknown member", { name: "x", owner: "me" }, "/owner"],
    ["tags that are not strings", { name: "x", context: { tags: [1] } }, "/context/tags/0"],
    ["an initial state that is not an object", { name: "x", initialState: [] }, "/initialState"],
    [
      "an initial state that breaks the schema",
      { name: "x", initialState: { status: "done" } },
      "/initialState/status",
    ],
  ])("refuses %s with 422 naming the field, writing nothing", async (_, body, path) => {
    const before = await expectStatus<{ workflows: unknown[] }>(
      api("/api/workflows?limit=100", { token: ADMIN }),
      200,
    );
    const problem = await expectStatus<Problem>(create(body), 422);
    expect(problem.errors.map((issue) => issue.path)).toContain(path);
    const after = await expectStatus<{ workflows: unknown[] }>(
      api("/api/workflows?limit=100", { token: ADMIN }),
      200,
    );
    expect(after.workflows).toHaveLength(before.workflows.length);
  });
});

describe("GET /api/workflows", () => {
  it("pages newest first and filters by status and tag", async () => {
    const tag = `t-${crypto.randomUUID().slice(0, 8)}`;
    const ids: string[] = [];
    for (const name of ["one", "two", "three"]) {
      const body = await expectStatus<{ workflow: { id: string } }>(
        create({ name, context: { tags: [tag] } }),
        201,
      );
      ids.push(body.workflow.id);
    }
    const first = await expectStatus<WorkflowPage>(
      api(`/api/workflows?tag=${tag}&limit=2`, { token: ADMIN }),
      200,
    );
    expect(first.workflows.map((w) => w.name)).toEqual(["three", "two"]);
    const second = await expectStatus<WorkflowPage>(
      api(`/api/workflows?tag=${tag}&limit=2&cursor=${first.nextCursor}`, { token: ADMIN }),
      200,
    );
    expect(second).toMatchObject({ workflows: [{ name: "one" }], nextCursor: null });
    await expectStatus(
      api(`/api/workflows/${ids[0]}`, {
        method: "PATCH",
        token: ADMIN,
        json: { status: "running" },
      }),
      200,
    );
    const running = await expectStatus<WorkflowPage>(
      api(`/api/workflows?tag=${tag}&status=running`, { token: ADMIN }),
      200,
    );
    expect(running.workflows.map((w) => w.id)).toEqual([ids[0]]);
  });

  it.each([
    ["limit=0", "/query/limit"],
    ["limit=101", "/query/limit"],
    ["limit=-5", "/query/limit"],
    ["limit=2.5", "/query/limit"],
    ["limit=1e308", "/query/limit"],
    ["status=done", "/query/status"],
    ["cursor=not-a-cursor", "/query/cursor"],
  ])("refuses ?%s with 422 naming %s", async (query, path) => {
    const problem = await expectStatus<Problem>(
      api(`/api/workflows?${query}`, { token: ADMIN }),
      422,
    );
    expect(problem.errors[0]?.path).toBe(path);
  });
});

describe("GET and PATCH /api/workflows/{id}", () => {
  it("reads the record and moves it through the lifecycle", async () => {
    const { id } = await createWorkflow();
    const record = await expectStatus<WorkflowRecord>(
      api(`/api/workflows/${id}`, { token: ADMIN }),
      200,
    );
    expect(record).toMatchObject({ id, status: "pending", createdBy: "admin" });
    // sampleState files two hand-written pending tasks; no agent works on it yet.
    expect(record).toMatchObject({
      agentCount: 0,
      taskCounts: {
        pending: 2,
        ready: 0,
        claimed: 0,
        completed: 0,
        failed: 0,
        dead: 0,
        cancelled: 0,
      },
    });
    const patch = (json: unknown) =>
      api(`/api/workflows/${id}`, { method: "PATCH", token: ADMIN, json });
    expect((await expectStatus<WorkflowRecord>(patch({ status: "running" }), 200)).status).toBe(
      "running",
    );
    expect((await expectStatus<WorkflowRecord>(patch({ status: "completed" }), 200)).status).toBe(
      "completed",
    );
    const problem = await expectStatus<Problem & { detail: string }>(
      patch({ status: "running" }),
      422,
    );
    expect(problem.errors[0]?.path).toBe("/status");
    expect(problem.detail).toContain("final");
  });

  it.each([
    ["an empty update", {}, ""],
    ["an unknown status", { status: "done" }, "/status"],
    ["an unknown member", { state: {} }, "/state"],
  ])("refuses %s with 422", async (_, body, path) => {
    const { id } = await createWorkflow();
    const problem = await expectStatus<Problem>(
      api(`/api/workflows/${id}`, { method: "PATCH", token: ADMIN, json: body }),
      422,
    );
    expect(problem.errors[0]?.path).toBe(path);
  });

  it.each([
    ["GET", undefined],
    ["PATCH", { status: "running" }],
  ])("answers %s of an unknown workflow 404 naming /params/id", async (method, json) => {
    const problem = await expectStatus<Problem>(
      api("/api/workflows/wf_unknown", { method, token: ADMIN, ...(json ? { json } : {}) }),
      404,
    );
    expect(problem.errors[0]?.path).toBe("/params/id");
  });

  it("refuses an id longer than 128 characters with 422", async () => {
    const problem = await expectStatus<Problem>(
      api(`/api/workflows/${"x".repeat(129)}`, { token: ADMIN }),
      422,
    );
    expect(problem.errors[0]?.path).toBe("/params/id");
  });
});

describe("GET /api/workflows/{id}/noop", () => {
  it("round-trips to the Durable Object and answers { ok: true }", async () => {
    const { id } = await createWorkflow();
    expect(await expectStatus(api(`/api/workflows/${id}/noop`, { token: ADMIN }), 200)).toEqual({
      ok: true,
    });
  });
});

describe("POST /api/workflows/{id}/noop", () => {
  it("writes in the Durable Object, answers { ok: true } and commits no version", async () => {
    const { id } = await createWorkflow();
    const noop = (method: string) => api(`/api/workflows/${id}/noop`, { method, token: ADMIN });
    expect(await expectStatus(noop("POST"), 200)).toEqual({ ok: true });
    const history = await expectStatus<{ versions: unknown[] }>(
      api(`/api/workflows/${id}/history`, { token: ADMIN }),
      200,
    );
    expect(history.versions).toHaveLength(1);
  });

  it("answers an unknown workflow 404 naming /params/id", async () => {
    const problem = await expectStatus<Problem>(
      api("/api/workflows/wf_unknown/noop", { method: "POST", token: ADMIN }),
      404,
    );
    expect(problem.errors[0]?.path).toBe("/params/id");
  });
});

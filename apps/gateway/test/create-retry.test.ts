import { env } from "cloudflare:workers";
import { type CreatedWorkflow as Created, type Problem, unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { workflowIdFor } from "../src/routes/workflows.ts";
import { ADMIN, api, expectStatus, fetchWith, issueToken, sampleState } from "./helpers.ts";

const freshKey = () => `key-${crypto.randomUUID()}`;

/** A body with a tag no other test uses, so a listing by it counts this test's workflows. */
function newWorkflow(overrides: Record<string, unknown> = {}) {
  const tag = `t-${crypto.randomUUID().slice(0, 8)}`;
  return {
    name: "Release 1.4",
    context: { tags: [tag] },
    initialState: sampleState(),
    ...overrides,
  };
}

const post = (json: unknown, key?: string, token = ADMIN) =>
  api("/api/workflows", {
    method: "POST",
    token,
    json,
    headers: key === undefined ? {} : { "idempotency-key": key },
  });

async function idsTagged(body: { context: { tags: string[] } }): Promise<string[]> {
  const page = await expectStatus<{ workflows: Array<{ id: string }> }>(
    api(`/api/workflows?tag=${body.context.tags[0]}`, { token: ADMIN }),
    200,
  );
  return page.workflows.map((workflow) => workflow.id);
}

/** Sends the request to the gateway with the registry bound to a worker that is not one. */
async function withRegistryDown(json: unknown, key?: string): Promise<Response> {
  // A real binding whose callee has no registerWorkflow: the RPC call rejects, as it does when
  // the coordinator cannot be reached, with nothing of ours faked.
  const down = { ...env, COORDINATOR: env.STATE };
  const headers = new Headers({
    authorization: `Bearer ${ADMIN}`,
    "content-type": "application/json",
  });
  if (key !== undefined) headers.set("idempotency-key", key);
  const request = new Request("https://chorus.test/api/workflows", {
    method: "POST",
    headers,
    body: JSON.stringify(json),
  });
  return fetchWith(request, down);
}

describe("POST /api/workflows with Idempotency-Key", () => {
  it("answers a retry with the same workflow and creates no second one", async () => {
    const body = newWorkflow();
    const key = freshKey();
    const first = await post(body, key);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const created = await expectStatus<Created>(first, 201);
    const again = await post(body, key);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("location")).toBe(`/api/workflows/${created.workflow.id}`);
    expect(await expectStatus<Created>(again, 201)).toEqual(created);
    expect(created.workflow.id).toBe(await workflowIdFor("admin", key));
    expect(await idsTagged(body)).toEqual([created.workflow.id]);
    const history = await expectStatus<{ versions: unknown[] }>(
      api(`/api/workflows/${created.workflow.id}/history`, { token: ADMIN }),
      200,
    );
    expect(history.versions).toHaveLength(1);
  });

  it("takes two requests with the same key at once as one", async () => {
    const body = newWorkflow();
    const key = freshKey();
    const [a, b] = await Promise.all([
      expectStatus<Created>(post(body, key), 201),
      expectStatus<Created>(post(body, key), 201),
    ]);
    expect(a).toEqual(b);
    expect(await idsTagged(body)).toEqual([a.workflow.id]);
  });

  it("creates a different workflow for a different key, or for the same key from another identity", async () => {
    const body = newWorkflow();
    const key = freshKey();
    const writer = await issueToken("writer");
    const first = await expectStatus<Created>(post(body, key), 201);
    const otherKey = await expectStatus<Created>(post(body, freshKey()), 201);
    const otherIdentity = await expectStatus<Created>(post(body, key, writer.token), 201);
    expect(new Set([first, otherKey, otherIdentity].map((c) => c.workflow.id)).size).toBe(3);
    expect(otherIdentity.workflow.createdBy).toBe(`token:${writer.name}`);
    expect((await idsTagged(body)).sort()).toEqual(
      [first, otherKey, otherIdentity].map((c) => c.workflow.id).sort(),
    );
  });

  it.each([
    ["another name", { name: "Release 1.5" }],
    ["another initial state", { initialState: sampleState({ name: "Other" }) }],
    ["another priority", { priority: "high" }],
  ])("refuses the key sent again with %s as 422, changing nothing", async (_, change) => {
    const body = newWorkflow();
    const key = freshKey();
    const created = await expectStatus<Created>(post(body, key), 201);
    const problem = await expectStatus<Problem>(post({ ...body, ...change }, key), 422);
    expect(problem.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(problem.errors.map((issue) => issue.path)).toEqual(["/headers/idempotency-key"]);
    expect(await idsTagged(body)).toEqual([created.workflow.id]);
    const record = await expectStatus<Created["workflow"]>(
      api(`/api/workflows/${created.workflow.id}`, { token: ADMIN }),
      200,
    );
    expect(record.name).toBe("Release 1.4");
  });

  it("answers a retry after the workflow has moved on with the workflow as it is now", async () => {
    const body = newWorkflow();
    const key = freshKey();
    const created = await expectStatus<Created>(post(body, key), 201);
    const at = `/api/workflows/${created.workflow.id}`;
    await expectStatus(
      api(at, { method: "PATCH", token: ADMIN, json: { status: "running" } }),
      200,
    );
    await expectStatus(
      api(`${at}/state`, {
        method: "POST",
        token: ADMIN,
        json: { state: sampleState({ name: "Later" }), baseVersion: 1 },
      }),
      201,
    );
    const again = await expectStatus<Created>(post(body, key), 201);
    expect(again.workflow).toMatchObject({ id: created.workflow.id, status: "running" });
    expect(again.version).toEqual(created.version);
  });

  it("finishes a creation whose first attempt wrote version 1 but no record", async () => {
    const body = newWorkflow();
    const key = freshKey();
    const workflowId = await workflowIdFor("admin", key);
    const first = unwrap(
      await env.STATE.create({ workflowId, state: body.initialState, author: "admin" }),
    );
    await expectStatus(api(`/api/workflows/${workflowId}`, { token: ADMIN }), 404);
    const retry = await post(body, key);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    const created = await expectStatus<Created>(retry, 201);
    expect(created.workflow).toMatchObject({ id: workflowId, status: "pending" });
    expect(created.version).toEqual(first.version);
    await expectStatus(api(`/api/workflows/${workflowId}`, { token: ADMIN }), 200);
    expect(await idsTagged(body)).toEqual([workflowId]);
  });

  it("refuses a malformed key with 422 at /headers/idempotency-key, writing nothing", async () => {
    const body = newWorkflow();
    for (const key of ["has space", "x".repeat(201)]) {
      const problem = await expectStatus<Problem>(post(body, key), 422);
      expect(problem.errors.map((issue) => issue.path)).toEqual(["/headers/idempotency-key"]);
    }
    expect(await idsTagged(body)).toEqual([]);
  });
});

describe("POST /api/workflows when the registry fails", () => {
  it("answers 503 naming the workflow and a key, and that key finishes the creation", async () => {
    const body = newWorkflow();
    const failed = await withRegistryDown(body);
    const key = failed.headers.get("idempotency-key") ?? "";
    expect(failed.headers.get("retry-after")).toBe("1");
    const problem = await expectStatus<Problem>(failed, 503);
    const workflowId = await workflowIdFor("admin", key);
    expect(problem.code).toBe("REGISTRATION_FAILED");
    expect(problem.detail).toContain(workflowId);
    expect(problem.detail).toContain(`Idempotency-Key: ${key}`);
    await expectStatus(api(`/api/workflows/${workflowId}/state`, { token: ADMIN }), 200);
    await expectStatus(api(`/api/workflows/${workflowId}`, { token: ADMIN }), 404);
    const created = await expectStatus<Created>(post(body, key), 201);
    expect(created.workflow.id).toBe(workflowId);
    expect(await idsTagged(body)).toEqual([workflowId]);
  });

  it("names the caller's own key in the 503, and a retry with it finishes", async () => {
    const body = newWorkflow();
    const key = freshKey();
    const failed = await withRegistryDown(body, key);
    expect(failed.headers.get("idempotency-key")).toBe(key);
    await expectStatus(failed, 503);
    const created = await expectStatus<Created>(post(body, key), 201);
    expect(created.workflow.id).toBe(await workflowIdFor("admin", key));
  });
});

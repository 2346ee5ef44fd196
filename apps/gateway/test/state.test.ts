import { describe, expect, it } from "vitest";
import {
  ADMIN,
  api,
  type Committed,
  createWorkflow,
  expectStatus,
  issueToken,
  type Problem,
  postState as post,
  sampleState,
} from "./helpers.ts";

const patch = (id: string, query: string, json: unknown, headers: Record<string, string> = {}) =>
  api(`/api/workflows/${id}/state${query}`, {
    method: "PATCH",
    token: ADMIN,
    json,
    contentType: "application/json-patch+json",
    headers,
  });

describe("POST /api/workflows/{id}/state", () => {
  it("commits with the caller as author, whatever the body says", async () => {
    const { id } = await createWorkflow();
    const writer = await issueToken("writer", undefined, "agent-7");
    const response = await post(
      id,
      { state: sampleState({ name: "Two" }), author: "mallory" },
      {},
      writer.token,
    );
    const result = await expectStatus<Committed>(Promise.resolve(response.clone()), 201);
    expect(result.version).toMatchObject({ version: 2, author: "token:agent-7", branch: "main" });
    expect(result).toMatchObject({ origin: "last-writer-wins", replayed: false });
    expect(response.headers.get("etag")).toBe(`"${result.version.checksum}"`);
    expect(response.headers.get("location")).toBe(`/api/workflows/${id}/state?version=2`);
  });

  it("merges concurrent disjoint edits from the same base", async () => {
    const { id } = await createWorkflow();
    const a = sampleState();
    a.tasks.t1.status = "claimed";
    const b = sampleState();
    b.tasks.t2.status = "completed";
    await expectStatus(post(id, { state: a, baseVersion: 1 }), 201);
    const merged = await expectStatus<Committed>(post(id, { state: b, baseVersion: 1 }), 201);
    expect(merged.origin).toBe("merge");
    // Each side's change is named where it starts: the whole task only one side touched.
    expect(merged.merged).toEqual(expect.arrayContaining(["/tasks/t1", "/tasks/t2"]));
    const head = await expectStatus<{ state: ReturnType<typeof sampleState> }>(
      api(`/api/workflows/${id}/state`, { token: ADMIN }),
      200,
    );
    expect(head.state.tasks.t1.status).toBe("claimed");
    expect(head.state.tasks.t2.status).toBe("completed");
  });

  it("answers overlapping edits 409 with the conflict to resolve", async () => {
    const { id } = await createWorkflow();
    await expectStatus(post(id, { state: sampleState({ name: "A" }), baseVersion: 1 }), 201);
    const problem = await expectStatus<Problem>(
      post(id, { state: sampleState({ name: "B" }), baseVersion: 1 }),
      409,
    );
    expect(problem).toMatchObject({
      code: "CONFLICT",
      status: 409,
      branch: "main",
      base: 1,
      head: 2,
    });
    expect(problem.conflictId).toEqual(expect.any(String));
    expect(problem.conflicts).toEqual([
      { path: "/name", base: "Review pipeline", ours: "A", theirs: "B" },
    ]);
    expect(problem.errors[0]?.path).toBe("/name");
  });

  it("commits when If-Match names the head and answers 412 when it does not", async () => {
    const { id, checksum } = await createWorkflow();
    const first = await expectStatus<Committed>(
      post(id, { state: sampleState({ name: "Two" }) }, { "if-match": `"${checksum}"` }),
      201,
    );
    const problem = await expectStatus<Problem>(
      post(id, { state: sampleState({ name: "Three" }) }, { "if-match": `"${checksum}"` }),
      412,
    );
    expect(problem).toMatchObject({
      code: "PRECONDITION_FAILED",
      head: 2,
      checksum: first.version.checksum,
    });
    expect(problem.errors[0]?.path).toBe("/headers/if-match");
  });

  it("refuses a malformed If-Match with 422", async () => {
    const { id } = await createWorkflow();
    const problem = await expectStatus<Problem>(
      post(id, { state: sampleState() }, { "if-match": "abc" }),
      422,
    );
    expect(problem.errors[0]?.path).toBe("/headers/if-match");
  });

  it("replays a retried Idempotency-Key instead of committing twice", async () => {
    const { id } = await createWorkflow();
    const headers = { "idempotency-key": "retry-1" };
    const first = await expectStatus<Committed>(
      post(id, { state: sampleState({ name: "Once" }) }, headers),
      201,
    );
    const again = await post(id, { state: sampleState({ name: "Once" }) }, headers);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const second = await expectStatus<Committed>(Promise.resolve(again), 201);
    expect(second.version).toEqual(first.version);
    expect(second.replayed).toBe(true);
    const history = await expectStatus<{ versions: unknown[] }>(
      api(`/api/workflows/${id}/history`, { token: ADMIN }),
      200,
    );
    expect(history.versions).toHaveLength(2);
  });

  it.each([
    ["a negative baseVersion", { baseVersion: -1 }, "/baseVersion"],
    ["a fractional baseVersion", { baseVersion: 1.5 }, "/baseVersion"],
    ["a baseVersion of 1e308", { baseVersion: 1e308 }, "/baseVersion"],
    ["a string baseVersion", { baseVersion: "1" }, "/baseVersion"],
    ["a bad branch", { branch: "../x" }, "/branch"],
    ["a state that is not an object", { state: [1] }, "/state"],
    ["a state that breaks the schema", { state: { status: "done" } }, "/state/status"],
    ["an unknown member", { baseversion: 1 }, "/baseversion"],
    ["a description too long", { changeDescription: "x".repeat(2001) }, "/changeDescription"],
  ])("refuses %s with 422 naming the field", async (_, overrides, path) => {
    const { id } = await createWorkflow();
    const problem = await expectStatus<Problem>(
      post(id, { state: sampleState(), ...overrides }),
      422,
    );
    expect(problem.errors.map((issue) => issue.path)).toContain(path);
  });

  it("says what is wrong with an unknown state member and where its content goes", async () => {
    const { id } = await createWorkflow();
    const problem = await expectStatus<Problem>(
      post(id, { state: sampleState({ bad: 1 }), baseVersion: 1 }),
      422,
    );
    const words =
      'unknown member "bad": WorkflowState has id, name, description, status, priority, ' +
      "tasks, agents, context, metadata, data; free-form content goes under /data (or /metadata)";
    expect(problem.code).toBe("VALIDATION_FAILED");
    expect(problem.errors).toEqual([{ path: "/state/bad", message: words }]);
    expect(problem.detail).toBe(`invalid state at /state/bad: ${words}`);
  });

  it("answers an unknown baseVersion 404", async () => {
    const { id } = await createWorkflow();
    const problem = await expectStatus<Problem>(
      post(id, { state: sampleState(), baseVersion: 9 }),
      404,
    );
    expect(problem.errors[0]?.path).toBe("/baseVersion");
  });
});

describe("PATCH /api/workflows/{id}/state", () => {
  const rename = [{ op: "replace", path: "/name", value: "Patched" }];

  it("applies a patch to ?baseVersion", async () => {
    const { id } = await createWorkflow();
    const result = await expectStatus<Committed>(
      patch(id, "?baseVersion=1&changeDescription=rename", rename),
      201,
    );
    expect(result).toMatchObject({ origin: "fast-forward", version: { version: 2 } });
    const read = await expectStatus(
      api(`/api/workflows/${id}/state?path=/name`, { token: ADMIN }),
      200,
    );
    expect(read.state).toBe("Patched");
  });

  it("applies a patch to the head If-Match names, on a branch", async () => {
    const { id, checksum } = await createWorkflow();
    await expectStatus(
      api(`/api/workflows/${id}/branches`, {
        method: "POST",
        token: ADMIN,
        json: { name: "side" },
      }),
      201,
    );
    const result = await expectStatus<Committed>(
      patch(id, "?branch=side", rename, { "if-match": `"${checksum}"` }),
      201,
    );
    expect(result.version.branch).toBe("side");
  });

  it("answers a failed test operation 409, a conflict with the state, and queues nothing", async () => {
    const { id, checksum } = await createWorkflow();
    const failing = [{ op: "test", path: "/name", value: "other" }, ...rename];
    // Without If-Match, and with one that names the head: neither is a failed precondition.
    const headerSets: Record<string, string>[] = [{}, { "if-match": `"${checksum}"` }];
    for (const headers of headerSets) {
      const problem = await expectStatus<Problem>(patch(id, "", failing, headers), 409);
      expect(problem).toMatchObject({ code: "PATCH_TEST_FAILED", title: "Conflict" });
      expect(problem).not.toHaveProperty("conflictId");
      expect(problem.errors[0]?.path).toBe("/name");
    }
    const conflicts = await expectStatus<{ conflicts: unknown[] }>(
      api(`/api/workflows/${id}/conflicts`, { token: ADMIN }),
      200,
    );
    expect(conflicts.conflicts).toEqual([]);
    // A stale If-Match is still the failed precondition, checked before the patch applies.
    const moved = await expectStatus<Committed>(patch(id, "", rename), 201);
    const stale = await expectStatus<Problem>(
      patch(id, "", failing, { "if-match": `"${checksum}"` }),
      412,
    );
    expect(stale).toMatchObject({ code: "PRECONDITION_FAILED", head: moved.version.version });
  });

  it.each([
    ["an unknown op", [{ op: "jump", path: "/name" }], 422, "/0/op"],
    ["a bad pointer", [{ op: "replace", path: "name", value: 1 }], 422, "/0/path"],
    ["a path that does not exist", [{ op: "replace", path: "/nope/x", value: 1 }], 422, "/nope"],
    ["a failing test", [{ op: "test", path: "/name", value: "other" }], 409, "/name"],
    [
      "a result that breaks the schema",
      [{ op: "replace", path: "/status", value: "done" }],
      422,
      "/state/status",
    ],
    ["a body that is not an array", { op: "add" }, 422, ""],
  ])("refuses %s", async (_, body, status, path) => {
    const { id } = await createWorkflow();
    const problem = await expectStatus<Problem>(patch(id, "?baseVersion=1", body), status);
    expect(problem.errors[0]?.path ?? "").toContain(path);
  });

  it.each(["-1", "1.5", "1e308", "x"])("refuses ?baseVersion=%s with 422", async (value) => {
    const { id } = await createWorkflow();
    const problem = await expectStatus<Problem>(patch(id, `?baseVersion=${value}`, rename), 422);
    expect(problem.errors[0]?.path).toBe("/query/baseVersion");
  });
});

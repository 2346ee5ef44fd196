import type { Problem } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { ADMIN, api, createWorkflow, expectStatus, fixture, sampleState } from "./helpers.ts";

const commit = (id: string, name: string) =>
  expectStatus(
    api(`/api/workflows/${id}/state`, {
      method: "POST",
      token: ADMIN,
      json: { state: sampleState({ name }) },
    }),
    201,
  );

/**
 * POSTs `json` to `…/{suffix}` of a new workflow and checks the answer's status and the path its
 * first issue names.
 */
async function expectPostProblem(suffix: string, json: unknown, status: number, path: string) {
  const { id } = await createWorkflow();
  const problem = await expectStatus<Problem>(
    api(`/api/workflows/${id}/${suffix}`, { method: "POST", token: ADMIN, json }),
    status,
  );
  expect(problem.errors[0]?.path).toBe(path);
}

describe("history and diff", () => {
  it("pages versions newest first", async () => {
    const { id } = await createWorkflow();
    for (const name of ["2", "3", "4"]) await commit(id, name);
    const page = await expectStatus<{ versions: Array<{ version: number }>; nextCursor: number }>(
      api(`/api/workflows/${id}/history?limit=3`, { token: ADMIN }),
      200,
    );
    expect(page.versions.map((v) => v.version)).toEqual([4, 3, 2]);
    const rest = await expectStatus<{ versions: Array<{ version: number }>; nextCursor: null }>(
      api(`/api/workflows/${id}/history?limit=3&cursor=${page.nextCursor}`, { token: ADMIN }),
      200,
    );
    expect(rest).toMatchObject({ versions: [{ version: 1 }], nextCursor: null });
  });

  it("diffs two versions as a JSON Patch", async () => {
    const { id } = await createWorkflow();
    await commit(id, "Renamed");
    const diff = await expectStatus(
      api(`/api/workflows/${id}/diff?from=1&to=2`, { token: ADMIN }),
      200,
    );
    expect(diff).toEqual({
      from: 1,
      to: 2,
      patch: [{ op: "replace", path: "/name", value: "Renamed" }],
    });
  });

  it.each([
    ["history?limit=0", 422, "/query/limit"],
    ["history?limit=1001", 422, "/query/limit"],
    ["history?cursor=-1", 422, "/query/cursor"],
    ["history?branch=nope", 404, "/query/branch"],
    ["diff?from=1", 422, "/query/to"],
    ["diff?from=1.5&to=1", 422, "/query/from"],
    ["diff?from=1&to=1e308", 422, "/query/to"],
    ["diff?from=1&to=9", 404, "/query/to"],
    ["audit?limit=abc", 422, "/query/limit"],
    ["conflicts?status=maybe", 422, "/query/status"],
  ])("answers GET .../%s with %i naming %s", async (suffix, status, path) => {
    const { id } = await createWorkflow();
    const problem = await expectStatus<Problem>(
      api(`/api/workflows/${id}/${suffix}`, { token: ADMIN }),
      status,
    );
    expect(problem.errors[0]?.path).toBe(path);
  });

  it.each([
    "history",
    "diff?from=1&to=1",
    "integrity",
    "audit",
    "snapshots",
    "branches",
    "conflicts",
    "settings",
  ])("answers GET .../%s of an unknown workflow 404", async (suffix) => {
    const problem = await expectStatus<Problem>(
      api(`/api/workflows/wf_nope/${suffix}`, { token: ADMIN }),
      404,
    );
    expect(problem.errors[0]?.path).toBe("/params/id");
  });
});

describe("integrity and audit", () => {
  it("reports a sound history", async () => {
    const { id } = await createWorkflow();
    await commit(id, "Two");
    const report = await expectStatus(api(`/api/workflows/${id}/integrity`, { token: ADMIN }), 200);
    expect(report).toEqual({ ok: true, checked: 2, problems: [] });
  });

  it("records who did what, newest first", async () => {
    const f = await fixture();
    const audit = await expectStatus<{ entries: Array<{ actor: string; action: string }> }>(
      api(`/api/workflows/${f.id}/audit?limit=2`, { token: ADMIN }),
      200,
    );
    expect(audit.entries).toHaveLength(2);
    expect(audit.entries[0]).toMatchObject({ actor: "admin", action: "conflict.queued" });
  });
});

describe("snapshots and restore", () => {
  it("takes a snapshot, lists it and restores it as a new version", async () => {
    const { id } = await createWorkflow();
    await commit(id, "Two");
    const snapshot = await expectStatus<{ id: string; version: number }>(
      api(`/api/workflows/${id}/snapshots`, {
        method: "POST",
        token: ADMIN,
        json: { version: 1, description: "start" },
      }),
      201,
    );
    expect(snapshot).toMatchObject({ version: 1, description: "start", author: "admin" });
    const list = await expectStatus(api(`/api/workflows/${id}/snapshots`, { token: ADMIN }), 200);
    expect(list).toMatchObject({ snapshots: [{ id: snapshot.id }] });
    const restored = await expectStatus<{ version: { version: number }; origin: string }>(
      api(`/api/workflows/${id}/restore`, {
        method: "POST",
        token: ADMIN,
        json: { snapshotId: snapshot.id },
      }),
      201,
    );
    expect(restored).toMatchObject({ origin: "restore", version: { version: 3 } });
    const state = await expectStatus(api(`/api/workflows/${id}/state`, { token: ADMIN }), 200);
    expect(state.state).toEqual(sampleState());
  });

  it.each([
    ["snapshots", { version: 0 }, 422, "/version"],
    ["snapshots", { version: 9 }, 404, "/version"],
    ["snapshots", { description: 5 }, 422, "/description"],
    ["restore", {}, 422, "/snapshotId"],
    ["restore", { snapshotId: "nope" }, 404, "/snapshotId"],
  ])("answers POST .../%s %j with %i naming %s", expectPostProblem);
});

describe("branches and merges", () => {
  it("starts a branch, lists it and merges it into main", async () => {
    const f = await fixture();
    const list = await expectStatus<{ branches: Array<{ name: string }> }>(
      api(`/api/workflows/${f.id}/branches`, { token: ADMIN }),
      200,
    );
    expect(list.branches.map((b) => b.name)).toEqual(["main", "feature"]);
    const merged = await expectStatus<{
      version: { branch: string; parents: string[] };
      origin: string;
    }>(
      api(`/api/workflows/${f.id}/branches/feature/merge`, {
        method: "POST",
        token: ADMIN,
        json: { into: "main" },
      }),
      201,
    );
    expect(merged).toMatchObject({ origin: "merge", version: { branch: "main" } });
    expect(merged.version.parents).toHaveLength(2);
  });

  it("accepts a branch name with a slash, percent-encoded", async () => {
    const { id } = await createWorkflow();
    const created = await api(`/api/workflows/${id}/branches`, {
      method: "POST",
      token: ADMIN,
      json: { name: "agents/planner" },
    });
    expect(created.headers.get("location")).toBe(
      `/api/workflows/${id}/state?branch=agents%2Fplanner`,
    );
    await expectStatus(Promise.resolve(created), 201);
    await expectStatus(
      api(`/api/workflows/${id}/state?branch=agents/planner`, {
        method: "PATCH",
        token: ADMIN,
        json: [{ op: "replace", path: "/name", value: "P" }],
        contentType: "application/json-patch+json",
      }),
      201,
    );
    const merged = await expectStatus<{ origin: string }>(
      api(`/api/workflows/${id}/branches/agents%2Fplanner/merge`, { method: "POST", token: ADMIN }),
      201,
    );
    expect(merged.origin).toBe("fast-forward");
  });

  it("answers a conflicting merge 409 with the conflict id", async () => {
    const { id } = await createWorkflow();
    await expectStatus(
      api(`/api/workflows/${id}/branches`, { method: "POST", token: ADMIN, json: { name: "x" } }),
      201,
    );
    await commit(id, "On main");
    await expectStatus(
      api(`/api/workflows/${id}/state`, {
        method: "POST",
        token: ADMIN,
        json: { state: sampleState({ name: "On x" }), branch: "x" },
      }),
      201,
    );
    const problem = await expectStatus<Problem & { conflictId: string }>(
      api(`/api/workflows/${id}/branches/x/merge`, { method: "POST", token: ADMIN }),
      409,
    );
    expect(problem.conflictId).toEqual(expect.any(String));
  });

  it.each([
    ["branches", { name: "main" }, 409, "/name"],
    ["branches", { name: "a..b" }, 422, "/name"],
    ["branches", { name: "ok", fromVersion: -1 }, 422, "/fromVersion"],
    ["branches", { name: "ok", fromVersion: 9 }, 404, "/fromVersion"],
    // The state manager names the missing branch in its message; its path is /branch either way.
    ["branches/nope/merge", {}, 404, "/params/name"],
    ["branches/main/merge", { into: "main" }, 422, "/into"],
    ["branches/main/merge", { strategy: "" }, 422, "/strategy"],
    ["branches/..x/merge", {}, 422, "/params/name"],
  ])("answers POST .../%s %j with %i naming %s", expectPostProblem);
});

describe("conflicts", () => {
  it("lists an open conflict and resolves it with explicit values", async () => {
    const f = await fixture();
    const open = await expectStatus<{ conflicts: Array<{ id: string; status: string }> }>(
      api(`/api/workflows/${f.id}/conflicts?status=open`, { token: ADMIN }),
      200,
    );
    expect(open.conflicts).toMatchObject([{ id: f.conflictId, status: "open" }]);
    const resolved = await expectStatus<{ origin: string }>(
      api(`/api/workflows/${f.id}/conflicts/${f.conflictId}/resolve`, {
        method: "POST",
        token: ADMIN,
        json: { resolution: { values: { "/metadata/counter": 3 } } },
      }),
      201,
    );
    expect(resolved.origin).toBe("resolution");
    const counter = await expectStatus(
      api(`/api/workflows/${f.id}/state?path=/metadata/counter`, { token: ADMIN }),
      200,
    );
    expect(counter.state).toBe(3);
    const again = await expectStatus<Problem>(
      api(`/api/workflows/${f.id}/conflicts/${f.conflictId}/resolve`, {
        method: "POST",
        token: ADMIN,
        json: { resolution: "ours" },
      }),
      409,
    );
    expect(again.code).toBe("ALREADY_EXISTS");
  });

  it.each([
    [{}, 422, "/resolution"],
    [{ resolution: "mine" }, 422, "/resolution"],
    [{ resolution: { values: {} } }, 422, "/resolution/values"],
  ])("refuses %j", async (json, status, path) => {
    const f = await fixture();
    const problem = await expectStatus<Problem>(
      api(`/api/workflows/${f.id}/conflicts/${f.conflictId}/resolve`, {
        method: "POST",
        token: ADMIN,
        json,
      }),
      status,
    );
    expect(problem.errors[0]?.path.startsWith(path)).toBe(true);
  });

  it("answers an unknown conflict 404 naming /params/cid", async () => {
    const { id } = await createWorkflow();
    const problem = await expectStatus<Problem>(
      api(`/api/workflows/${id}/conflicts/nope/resolve`, {
        method: "POST",
        token: ADMIN,
        json: { resolution: "ours" },
      }),
      404,
    );
    expect(problem.errors[0]?.path).toBe("/params/cid");
  });
});

describe("settings", () => {
  it("reads and changes a workflow's settings", async () => {
    const { id } = await createWorkflow();
    const before = await expectStatus(api(`/api/workflows/${id}/settings`, { token: ADMIN }), 200);
    expect(before).toMatchObject({ defaultStrategy: "reject", unbasedWrites: "last-writer-wins" });
    const after = await expectStatus(
      api(`/api/workflows/${id}/settings`, {
        method: "PATCH",
        token: ADMIN,
        json: {
          rules: [{ path: "/metadata/*", strategy: "last-writer-wins" }],
          limits: { maxBranches: 5 },
        },
      }),
      200,
    );
    expect(after).toMatchObject({
      rules: [{ path: "/metadata/*" }],
      limits: { maxBranches: 5, maxPatchOps: 10000 },
    });
  });

  it.each([
    [{ defaultStrategy: "coin-flip" }, "/defaultStrategy"],
    [{ keyframeInterval: 0 }, "/keyframeInterval"],
    [{ limits: { maxBranches: -1 } }, "/limits/maxBranches"],
    [{ colour: "blue" }, "/colour"],
  ])("refuses %j with 422 naming the field", async (json, path) => {
    const { id } = await createWorkflow();
    const problem = await expectStatus<Problem>(
      api(`/api/workflows/${id}/settings`, { method: "PATCH", token: ADMIN, json }),
      422,
    );
    expect(problem.errors[0]?.path).toBe(path);
  });
});

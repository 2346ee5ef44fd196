import { canonicalize, sha256Hex } from "@chorus/core";
import { describe, expect, it } from "vitest";
import {
  ADMIN,
  api,
  type Committed,
  createWorkflow,
  expectStatus,
  type Problem,
  postState as post,
  sampleState,
} from "./helpers.ts";

describe("GET /api/workflows/{id}/state", () => {
  it("returns the head with its checksum as a strong ETag", async () => {
    const { id, checksum } = await createWorkflow();
    const response = await api(`/api/workflows/${id}/state`, { token: ADMIN });
    expect(response.headers.get("etag")).toBe(`"${checksum}"`);
    expect(await response.json()).toMatchObject({
      version: 1,
      checksum,
      branch: "main",
      workflowId: id,
      path: "",
      state: sampleState(),
    });
  });

  it("writes the state as its canonical text: the text the ETag's checksum hashes", async () => {
    const { id, checksum } = await createWorkflow();
    const body = await (await api(`/api/workflows/${id}/state`, { token: ADMIN })).text();
    const marker = '"state":';
    expect(body.endsWith("}")).toBe(true);
    const stateText = body.slice(body.indexOf(marker) + marker.length, -1);
    expect(await sha256Hex(stateText)).toBe(checksum);
    expect(stateText).toBe(canonicalize(sampleState()));
  });

  it("keeps non-ASCII text of the version and of the state intact, escaping only the version's", async () => {
    const { id } = await createWorkflow();
    const next = sampleState({ name: "Revue — équipe 🤖" });
    const committed = await expectStatus<Committed>(
      post(id, { state: next, changeDescription: "t1 → done" }),
      201,
    );
    const body = await (await api(`/api/workflows/${id}/state`, { token: ADMIN })).text();
    // The version's members are written in ASCII (\u escapes, the same JSON values)…
    expect(body).toContain(String.raw`"changeDescription":"t1 \u2192 done"`);
    // …and the state is the canonical text as stored, which its checksum hashes.
    const stateText = body.slice(body.indexOf('"state":') + '"state":'.length, -1);
    expect(stateText).toBe(canonicalize(next));
    expect(await sha256Hex(stateText)).toBe(committed.version.checksum);
    expect(JSON.parse(body)).toMatchObject({ changeDescription: "t1 → done", state: next });
  });

  it("sends a large state in the same form, whole and at a path", async () => {
    const tasks = Object.fromEntries(
      Array.from({ length: 600 }, (_, i) => [`t${i}`, { id: `t${i}`, status: "pending" }]),
    );
    const large = sampleState({ name: "Grande équipe", tasks });
    expect(canonicalize(large).length).toBeGreaterThan(20_000);
    const { id, checksum } = await createWorkflow(large);
    const response = await api(`/api/workflows/${id}/state`, { token: ADMIN });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("etag")).toBe(`"${checksum}"`);
    const body = await response.text();
    const stateText = body.slice(body.indexOf('"state":') + '"state":'.length, -1);
    expect(stateText).toBe(canonicalize(large));
    expect(await sha256Hex(stateText)).toBe(checksum);
    expect(JSON.parse(body)).toMatchObject({ version: 1, checksum, path: "", state: large });
    const task = await expectStatus(
      api(`/api/workflows/${id}/state?path=/tasks/t599`, { token: ADMIN }),
      200,
    );
    expect(task).toMatchObject({ path: "/tasks/t599", state: { id: "t599" } });
    const held = await api(`/api/workflows/${id}/state`, {
      token: ADMIN,
      headers: { "if-none-match": `"${checksum}"` },
    });
    expect(held.status).toBe(304);
    expect(await held.text()).toBe("");
  });

  it.each([
    ["the ETag", (checksum: string) => `"${checksum}"`],
    ["a weak form of it in a list", (checksum: string) => `"other", W/"${checksum}"`],
    ["*", () => "*"],
  ])("answers If-None-Match with %s by 304", async (_, header) => {
    const { id, checksum } = await createWorkflow();
    const response = await api(`/api/workflows/${id}/state`, {
      token: ADMIN,
      headers: { "if-none-match": header(checksum) },
    });
    expect(response.status).toBe(304);
    expect(response.headers.get("etag")).toBe(`"${checksum}"`);
    expect(response.headers.get("cache-control")).toBe("private, no-cache");
    expect(await response.text()).toBe("");
  });

  it.each([
    ["tags that are no checksum", () => `"abc", W/"zz", ""`],
    ["a checksum of another state", () => `"${"0".repeat(64)}"`],
    [
      "the ETag only past the first 32 tags",
      (checksum: string) =>
        [
          ...Array.from({ length: 32 }, (_, i) => `"${i.toString(16).padStart(64, "0")}"`),
          `"${checksum}"`,
        ].join(", "),
    ],
  ])("answers If-None-Match with %s by 200 and the state", async (_, header) => {
    const { id, checksum } = await createWorkflow();
    const read = await expectStatus(
      api(`/api/workflows/${id}/state`, {
        token: ADMIN,
        headers: { "if-none-match": header(checksum) },
      }),
      200,
    );
    expect(read).toMatchObject({ version: 1, checksum, state: sampleState() });
  });

  it("answers a subtree's If-None-Match by 304, and a missing subtree by 404 whatever it holds", async () => {
    const { id, checksum } = await createWorkflow();
    const held = await api(`/api/workflows/${id}/state?path=/tasks/t1`, {
      token: ADMIN,
      headers: { "if-none-match": `"${checksum}"` },
    });
    expect(held.status).toBe(304);
    const missing = await api(`/api/workflows/${id}/state?path=/tasks/none`, {
      token: ADMIN,
      headers: { "if-none-match": "*" },
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ errors: [{ path: "/query/path" }] });
  });

  it("answers a stale If-None-Match with the new state", async () => {
    const { id, checksum } = await createWorkflow();
    await expectStatus(post(id, { state: sampleState({ name: "Next" }) }), 201);
    const read = await expectStatus(
      api(`/api/workflows/${id}/state`, {
        token: ADMIN,
        headers: { "if-none-match": `"${checksum}"` },
      }),
      200,
    );
    expect(read.version).toBe(2);
  });

  it("reads an old version, a branch head and a subtree", async () => {
    const { id } = await createWorkflow();
    await expectStatus(post(id, { state: sampleState({ name: "Two" }) }), 201);
    const v1 = await expectStatus(
      api(`/api/workflows/${id}/state?version=1`, { token: ADMIN }),
      200,
    );
    expect(v1.state).toEqual(sampleState());
    const sub = await expectStatus(
      api(`/api/workflows/${id}/state?path=/tasks/t1/status`, { token: ADMIN }),
      200,
    );
    expect(sub).toMatchObject({ version: 2, path: "/tasks/t1/status", state: "pending" });
    await expectStatus(
      api(`/api/workflows/${id}/branches`, {
        method: "POST",
        token: ADMIN,
        json: { name: "b/1", fromVersion: 1 },
      }),
      201,
    );
    const branch = await expectStatus(
      api(`/api/workflows/${id}/state?branch=b/1`, { token: ADMIN }),
      200,
    );
    expect(branch).toMatchObject({ version: 1 });
  });

  it.each([
    ["version=-1", "/query/version"],
    ["version=1.5", "/query/version"],
    ["version=1e308", "/query/version"],
    ["version=abc", "/query/version"],
    ["version=0", "/query/version"],
    ["version=99999999999999999999", "/query/version"],
    ["version=1&version=2", "/query/version"],
    ["branch=a..b", "/query/branch"],
    ["path=tasks", "/query/path"],
    ["path=/a~2b", "/query/path"],
  ])("refuses ?%s with 422 naming %s", async (query, path) => {
    const { id } = await createWorkflow();
    const problem = await expectStatus<Problem>(
      api(`/api/workflows/${id}/state?${query}`, { token: ADMIN }),
      422,
    );
    expect(problem.code).toBe("VALIDATION_FAILED");
    expect(problem.errors[0]?.path).toBe(path);
  });

  it.each([
    ["an unknown workflow", "/api/workflows/wf_nope/state", "/params/id"],
    ["an unknown version", "/state?version=99", "/query/version"],
    ["an unknown branch", "/state?branch=nope", "/query/branch"],
    ["a missing path", "/state?path=/nope", "/query/path"],
  ])("answers %s with 404 naming the field", async (_, suffix, path) => {
    const { id } = await createWorkflow();
    const url = suffix.startsWith("/api") ? suffix : `/api/workflows/${id}${suffix}`;
    const problem = await expectStatus<Problem>(api(url, { token: ADMIN }), 404);
    expect(problem.errors[0]?.path).toBe(path);
  });
});

// Every client method against the real local stack (local-stack.ts): gateway, coordinator and
// state manager in workerd. The CLI has cli.test.ts.
import type { JsonValue } from "@chorus/core";
import { describe, expect, it } from "vitest";
import {
  AuthError,
  ChorusClient,
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  ValidationError,
} from "../src/index.ts";
import { useLocalStack } from "./local-stack.ts";

type Doc = { data: Record<string, JsonValue> };

// With the benchmark floors, so that noop() and noopWrite() are covered too.
const local = useLocalStack({ benchFloors: true });

/** A new workflow whose version 1 is `{ data }`. */
async function newWorkflow(data: Record<string, JsonValue> = {}, tags = ["client-test"]) {
  const created = await local.admin.createWorkflow({
    name: "client test",
    context: { tags },
    initialState: { data },
  });
  return created.workflow.id;
}

const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail("expected an error"),
    (error: unknown) => error,
  );

describe("workflows", () => {
  it("creates a workflow as version 1 with its Location, then reads, lists and updates it", async () => {
    const tag = `t-${Date.now()}`;
    const created = await local.admin.createWorkflow({
      name: "Release 1.4",
      priority: "high",
      context: { tags: [tag] },
      initialState: { data: { step: 1 } },
    });
    expect(created.workflow).toMatchObject({ name: "Release 1.4", status: "pending", tags: [tag] });
    expect(created.version).toMatchObject({ version: 1, branch: "main", author: "admin" });
    expect(created.location).toBe(`/api/workflows/${created.workflow.id}`);

    const id = created.workflow.id;
    const counts = {
      pending: 0,
      ready: 0,
      claimed: 0,
      completed: 0,
      failed: 0,
      dead: 0,
      cancelled: 0,
    };
    expect(await local.admin.getWorkflow(id)).toEqual({
      ...created.workflow,
      agentCount: 0,
      taskCounts: counts,
    });
    const page = await local.admin.listWorkflows({ tag, limit: 10 });
    expect(page.workflows.map((w) => w.id)).toEqual([id]);
    expect(page.nextCursor).toBeNull();

    expect((await local.admin.updateWorkflow(id, { status: "running" })).status).toBe("running");
    await local.admin.updateWorkflow(id, { status: "completed" });
    const error = await caught(local.admin.updateWorkflow(id, { status: "running" }));
    expect(error).toBeInstanceOf(ValidationError);
  });

  it("pages through the listing with nextCursor", async () => {
    const tag = `page-${Date.now()}`;
    const ids = [await newWorkflow({}, [tag]), await newWorkflow({}, [tag])];
    const first = await local.admin.listWorkflows({ tag, limit: 1 });
    expect(first.nextCursor).not.toBeNull();
    const second = await local.admin.listWorkflows({
      tag,
      limit: 1,
      cursor: first.nextCursor ?? "",
    });
    expect([...first.workflows, ...second.workflows].map((w) => w.id).sort()).toEqual(ids.sort());
  });

  it("raises NotFoundError for an unknown workflow", async () => {
    expect(await caught(local.admin.getWorkflow("wf_missing"))).toBeInstanceOf(NotFoundError);
    expect(await caught(local.admin.getState("wf_missing"))).toBeInstanceOf(NotFoundError);
  });
});

describe("state", () => {
  it("reads the head with its ETag, a version, a branch and a subtree, and answers 304 as null", async () => {
    const id = await newWorkflow({ a: 1, nested: { b: 2 } });
    const head = await local.admin.getState<Doc>(id);
    expect(head).toMatchObject({ version: 1, branch: "main", path: "", state: { data: { a: 1 } } });
    expect(head.etag).toBe(`"${head.checksum}"`);
    expect((await local.admin.getState(id, { path: "/data/nested/b" })).state).toBe(2);
    expect((await local.admin.getState(id, { version: 1, branch: "main" })).version).toBe(1);
    expect(await local.admin.getState(id, { ifNoneMatch: head.etag })).toBeNull();
    expect(await local.admin.getState(id, { ifNoneMatch: head.checksum })).toBeNull();
  });

  it("merges a commit from a stale base with the edit made meanwhile", async () => {
    const id = await newWorkflow({ a: 0, b: 0 });
    const first = await local.admin.commit(id, { state: { data: { a: 1, b: 0 } }, baseVersion: 1 });
    expect(first).toMatchObject({ origin: "fast-forward", version: { version: 2 } });
    const second = await local.admin.commit(id, {
      state: { data: { a: 0, b: 1 } },
      baseVersion: 1,
      changeDescription: "set b",
    });
    expect(second.origin).toBe("merge");
    expect(second.merged).toContain("/data/b");
    expect((await local.admin.getState<Doc>(id)).state.data).toEqual({ a: 1, b: 1 });
  });

  it("answers a workflow created again with the same idempotency key with the same workflow", async () => {
    const tag = `t-${crypto.randomUUID().slice(0, 8)}`;
    const input = { name: "once", context: { tags: [tag] }, idempotencyKey: `k-${tag}` };
    const first = await local.admin.createWorkflow(input);
    const again = await local.admin.createWorkflow(input);
    expect(again).toEqual(first);
    expect((await local.admin.listWorkflows({ tag })).workflows).toHaveLength(1);
    const error = await caught(local.admin.createWorkflow({ ...input, name: "other" }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: "IDEMPOTENCY_KEY_REUSED" });
  });

  it("replays a commit sent again with the same idempotency key", async () => {
    const id = await newWorkflow();
    const input = { state: { data: { x: 1 } }, baseVersion: 1, idempotencyKey: "once" };
    const first = await local.admin.commit(id, input);
    const again = await local.admin.commit(id, input);
    expect(again.replayed).toBe(true);
    expect(again.version).toEqual(first.version);
    expect((await local.admin.history(id)).versions).toHaveLength(2);
  });

  it("refuses a stale If-Match with PreconditionFailedError", async () => {
    const id = await newWorkflow();
    const { etag } = await local.admin.getState(id);
    await local.admin.commit(id, { state: { data: { moved: true } }, ifMatch: etag });
    const error = await caught(local.admin.commit(id, { state: { data: {} }, ifMatch: etag }));
    expect(error).toBeInstanceOf(PreconditionFailedError);
  });

  it("commits a JSON Patch with its base, branch and description in the query", async () => {
    const id = await newWorkflow({ n: 1 });
    await local.admin.createBranch(id, { name: "side" });
    const result = await local.admin.patch(id, [{ op: "replace", path: "/data/n", value: 2 }], {
      baseVersion: 1,
      branch: "side",
      changeDescription: "n=2",
    });
    expect(result.version).toMatchObject({ branch: "side", changeDescription: "n=2" });
    const { etag } = await local.admin.getState(id, { branch: "side" });
    await local.admin.patch(id, [{ op: "add", path: "/data/m", value: 3 }], {
      ifMatch: etag,
      branch: "side",
    });
    expect((await local.admin.getState<Doc>(id, { branch: "side" })).state.data).toEqual({
      n: 2,
      m: 3,
    });
  });

  it("raises a failed test operation as a ConflictError that queued nothing", async () => {
    const id = await newWorkflow({ n: 1 });
    const patch = [
      { op: "test" as const, path: "/data/n", value: 2 },
      { op: "replace" as const, path: "/data/n", value: 3 },
    ];
    const error = (await caught(local.admin.patch(id, patch))) as ConflictError;
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ status: 409, code: "PATCH_TEST_FAILED", conflictId: undefined });
    expect(await local.admin.listConflicts(id)).toEqual([]);
    expect((await local.admin.getState<Doc>(id)).state.data).toEqual({ n: 1 });
  });

  it("passes on the server's words for an unknown state member", async () => {
    const id = await newWorkflow();
    const error = (await caught(
      local.admin.commit(id, { state: { data: {}, bad: 1 }, baseVersion: 1 }),
    )) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.errors).toEqual([{ path: "/state/bad", message: expect.any(String) }]);
    expect(error.message).toMatch(/unknown member "bad": WorkflowState has id, name, .*\/data/);
  });

  it("names the field of a bad number in a ValidationError", async () => {
    const id = await newWorkflow();
    const error = (await caught(local.admin.diff(id, 1.5, 1))) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.errors.map((issue) => issue.path)).toContain("/query/from");
    const negative = (await caught(
      local.admin.commit(id, { state: {}, baseVersion: -1 }),
    )) as ValidationError;
    expect(negative.errors.map((issue) => issue.path)).toContain("/baseVersion");
  });
});

describe("conflicts and update()", () => {
  it("raises ConflictError with the queued conflict, then lists and resolves it", async () => {
    const id = await newWorkflow({ owner: "nobody" });
    await local.admin.commit(id, { state: { data: { owner: "a" } }, baseVersion: 1 });
    const error = (await caught(
      local.admin.commit(id, { state: { data: { owner: "b" } }, baseVersion: 1 }),
    )) as ConflictError;
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.conflicts).toEqual([
      { path: "/data/owner", base: "nobody", ours: "a", theirs: "b" },
    ]);
    const open = await local.admin.listConflicts(id, { status: "open" });
    expect(open.map((c) => c.id)).toEqual([error.conflictId]);

    const resolved = await local.admin.resolveConflict(id, error.conflictId ?? "", "theirs");
    expect(resolved.origin).toBe("resolution");
    expect((await local.admin.getState<Doc>(id)).state.data.owner).toBe("b");
    expect(await local.admin.listConflicts(id, { status: "open" })).toEqual([]);
    expect((await local.admin.listConflicts(id, { status: "resolved" }))[0]?.resolvedVersion).toBe(
      3,
    );
  });

  it("update() reads again and re-applies its function after a conflict", async () => {
    const id = await newWorkflow({ owner: "nobody" });
    let firstDone: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      firstDone = resolve;
    });
    const calls: string[] = [];
    // The second writer reads version 1, then waits until the first has committed: its base is stale.
    const second = local.admin.update<Doc>(id, async (state) => {
      calls.push(String(state.data.owner));
      if (calls.length === 1) await gate;
      state.data.owner = "second";
      return undefined;
    });
    await local.admin.update<Doc>(id, (state) => ({ data: { ...state.data, owner: "first" } }));
    firstDone();
    const result = await second;
    expect(calls).toEqual(["nobody", "first"]);
    expect(result.version.version).toBe(3);
    expect((await local.admin.getState<Doc>(id)).state.data.owner).toBe("second");
  });
});

describe("history, snapshots and branches", () => {
  it("pages history newest first and diffs two versions", async () => {
    const id = await newWorkflow({ n: 0 });
    for (const n of [1, 2, 3])
      await local.admin.commit(id, { state: { data: { n } }, changeDescription: `n=${n}` });
    const page = await local.admin.history(id, { limit: 2 });
    expect(page.versions.map((v) => v.version)).toEqual([4, 3]);
    const rest = await local.admin.history(id, { limit: 2, cursor: page.nextCursor ?? 0 });
    expect(rest.versions.map((v) => v.version)).toEqual([2, 1]);
    expect((await local.admin.history(id, { branch: "main" })).versions).toHaveLength(4);
    expect(await local.admin.diff(id, 1, 4)).toEqual({
      from: 1,
      to: 4,
      patch: [{ op: "replace", path: "/data/n", value: 3 }],
    });
  });

  it("snapshots a version, lists it and restores it as a new version", async () => {
    const id = await newWorkflow({ keep: true });
    const snapshot = await local.admin.createSnapshot(id, { description: "good" });
    expect(snapshot).toMatchObject({ version: 1, description: "good", author: "admin" });
    await local.admin.commit(id, { state: { data: { keep: false } } });
    expect((await local.admin.listSnapshots(id)).map((s) => s.id)).toEqual([snapshot.id]);
    const restored = await local.admin.restore(id, snapshot.id);
    expect(restored).toMatchObject({ origin: "restore", version: { version: 3 } });
    expect((await local.admin.getState<Doc>(id)).state.data.keep).toBe(true);
    expect(await caught(local.admin.restore(id, "no-such-snapshot"))).toBeInstanceOf(NotFoundError);
  });

  it("branches, commits on the branch, and merges it into main", async () => {
    const id = await newWorkflow({ main: 1 });
    const branch = await local.admin.createBranch(id, { name: "experiment" });
    expect(branch).toMatchObject({ name: "experiment", head: 1 });
    await local.admin.commit(id, {
      state: { data: { main: 1, tried: true } },
      branch: "experiment",
    });
    expect((await local.admin.listBranches(id)).map((b) => b.name)).toEqual(["main", "experiment"]);
    const merged = await local.admin.mergeBranch(id, "experiment", {
      changeDescription: "land it",
    });
    expect(merged.version.parents).toHaveLength(2);
    expect((await local.admin.getState<Doc>(id)).state.data).toEqual({ main: 1, tried: true });
  });

  it("checks integrity and lists the audit trail", async () => {
    const id = await newWorkflow();
    await local.admin.createSnapshot(id);
    expect(await local.admin.integrity(id)).toEqual({ ok: true, checked: 1, problems: [] });
    const audit = await local.admin.audit(id, { limit: 10 });
    expect(audit.entries.map((e) => e.action)).toContain("snapshot.created");
    expect(audit.entries.every((e) => e.actor === "admin")).toBe(true);
  });

  it("reads and changes a workflow's settings", async () => {
    const id = await newWorkflow();
    expect((await local.admin.getSettings(id)).defaultStrategy).toBe("reject");
    const changed = await local.admin.updateSettings(id, {
      rules: [{ path: "/data/**", strategy: "theirs" }],
    });
    expect(changed.rules).toEqual([{ path: "/data/**", strategy: "theirs" }]);
  });
});

describe("tokens and system routes", () => {
  it("issues a scoped token, lists it without its secret, and revokes it at once", async () => {
    const id = await newWorkflow();
    const other = await newWorkflow();
    const issued = await local.admin.createToken({
      name: "reader-1",
      role: "reader",
      workflowIds: [id],
    });
    expect(issued).toMatchObject({ name: "reader-1", role: "reader", workflowIds: [id] });
    const { token: secret, ...info } = issued;
    const listed = (await local.admin.listTokens()).find((t) => t.id === issued.id);
    expect(listed).toStrictEqual(info);
    expect(JSON.stringify(await local.admin.listTokens())).not.toContain(secret);

    const reader = new ChorusClient({ baseUrl: local.stack.url, token: issued.token });
    expect((await reader.getState(id)).version).toBe(1);
    expect(await caught(reader.commit(id, { state: {} }))).toMatchObject({ status: 403 });
    expect(await caught(reader.getState(other))).toBeInstanceOf(AuthError);

    await local.admin.revokeToken(issued.id);
    expect(await caught(reader.getState(id))).toMatchObject({ status: 401 });
    expect(await caught(local.admin.revokeToken(issued.id))).toBeInstanceOf(NotFoundError);
  });

  it("refuses a request without a token with AuthError", async () => {
    const anonymous = new ChorusClient({ baseUrl: local.stack.url });
    const error = (await caught(anonymous.listWorkflows())) as AuthError;
    expect(error).toBeInstanceOf(AuthError);
    expect(error.code).toBe("UNAUTHENTICATED");
  });

  it("reports health without a token, metrics to the admin, and answers both no-ops", async () => {
    const health = await new ChorusClient({ baseUrl: local.stack.url }).health();
    expect(health.status).toBe("ok");
    expect(Object.keys(health.components).sort()).toEqual([
      "coordinator",
      "gateway",
      "stateManager",
    ]);
    const id = await newWorkflow();
    expect(await local.admin.noop(id)).toEqual({ ok: true });
    expect(await local.admin.noopWrite(id)).toEqual({ ok: true });
    expect(await local.admin.history(id)).toMatchObject({ versions: [{ version: 1 }] });
    const metrics = await local.admin.metrics({ workflowIds: [id] });
    expect(metrics).toMatch(/^# (HELP|TYPE) /m);
    expect(metrics).toContain(id);
  });
});

import { unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { createWorkflow, expectError, freshWorkflowId, sampleState, service } from "./helpers.ts";

/** Every write below is bad; none may change the workflow. */
describe("bad input", () => {
  it.each([
    ["no workflowId", { workflowId: undefined, state: {} }, "/workflowId"],
    ["a non-string workflowId", { workflowId: 7 }, "/workflowId"],
    ["an empty author", { author: "" }, "/author"],
    ["both state and patch", { state: {}, patch: [] }, "/state"],
    ["neither state nor patch", {}, "/state"],
    ["a negative baseVersion", { state: {}, baseVersion: -1 }, "/baseVersion"],
    ["a fractional baseVersion", { state: {}, baseVersion: 1.5 }, "/baseVersion"],
    ["a huge baseVersion", { state: {}, baseVersion: 1e308 }, "/baseVersion"],
    ["a string baseVersion", { state: {}, baseVersion: "1" }, "/baseVersion"],
    ["a bad branch name", { state: {}, branch: "a..b" }, "/branch"],
    ["a malformed checksum", { state: {}, expectedChecksum: "abc" }, "/expectedChecksum"],
  ])("refuses %s with VALIDATION_FAILED", async (_, overrides, path) => {
    const workflowId = await createWorkflow();
    const input = { workflowId, author: "a", ...overrides } as never;
    const error = expectError(await service.commit(input), "VALIDATION_FAILED");
    expect(error.path).toBe(path);
    expect(unwrap(await service.getState({ workflowId })).version.version).toBe(1);
  });

  it.each([
    ["an array", []],
    ["a string", "wf-1"],
    ["null", null],
  ])("refuses %s as the argument, at the empty path", async (_, input) => {
    const error = expectError(await service.commit(input as never), "VALIDATION_FAILED");
    expect(error.path).toBe("");
    expect(error.message).toMatch(/^invalid input: Invalid type: Expected (an )?Object/i);
  });

  it("refuses a state that breaks the schema, listing every issue under /state", async () => {
    const workflowId = await createWorkflow();
    const error = expectError(
      await service.commit({
        workflowId,
        state: { status: "done", priority: 3, stray: 1 },
        author: "a",
        baseVersion: 1,
      }),
      "VALIDATION_FAILED",
    );
    const paths = (error.details as { issues: Array<{ path: string }> }).issues
      .map((issue) => issue.path)
      .sort();
    expect(paths).toEqual(["/state/priority", "/state/status", "/state/stray"]);
  });

  it("refuses a patch that does not apply, naming the operation", async () => {
    const workflowId = await createWorkflow();
    const error = expectError(
      await service.commit({
        workflowId,
        patch: [{ op: "remove", path: "/tasks/zz" }],
        author: "a",
        baseVersion: 1,
      }),
      "INVALID_PATCH",
    );
    expect(error.path).toBe("/patch/tasks/zz");
    const malformed = expectError(
      await service.commit({
        workflowId,
        patch: [{ op: "jump", path: "/x" }],
        author: "a",
        baseVersion: 1,
      }),
      "INVALID_PATCH",
    );
    expect(malformed.path).toMatch(/^\/0/);
    expectError(
      await service.commit({
        workflowId,
        patch: [{ op: "test", path: "/status", value: "paused" }],
        author: "a",
        baseVersion: 1,
      }),
      "PATCH_TEST_FAILED",
    );
  });

  it("refuses a base version that does not exist and an If-Match that is stale", async () => {
    const workflowId = await createWorkflow();
    expect(
      expectError(
        await service.commit({ workflowId, state: sampleState(), author: "a", baseVersion: 5 }),
        "NOT_FOUND",
      ).path,
    ).toBe("/baseVersion");
    const stale = "0".repeat(64);
    expect(
      expectError(
        await service.commit({ workflowId, state: sampleState(), author: "a", ifMatch: stale }),
        "PRECONDITION_FAILED",
      ).path,
    ).toBe("/ifMatch");
    expect(
      expectError(
        await service.commit({
          workflowId,
          state: sampleState(),
          author: "a",
          expectedChecksum: stale,
        }),
        "PRECONDITION_FAILED",
      ).path,
    ).toBe("/expectedChecksum");
  });

  it("refuses states over the size limit and documents nested past the depth limit", async () => {
    const workflowId = await createWorkflow();
    unwrap(await service.configure({ workflowId, settings: { limits: { maxStateBytes: 2000 } } }));
    const big = sampleState({ data: { blob: "x".repeat(5000) } });
    const error = expectError(
      await service.commit({ workflowId, state: big, author: "a", baseVersion: 1 }),
      "TOO_LARGE",
    );
    expect(error.path).toBe("/state");
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    // Workers RPC itself refuses to serialize such depth; either way nothing is written.
    const result = await service
      .commit({ workflowId, state: sampleState({ data: deep }), author: "a", baseVersion: 1 })
      .catch((e: unknown) => e);
    expect(result instanceof Error || (result as { ok: boolean }).ok === false).toBe(true);
    expect(unwrap(await service.history({ workflowId })).versions).toHaveLength(1);
  });

  it("refuses what is not JSON, or nested too deep, at its path under /state", async () => {
    const workflowId = await createWorkflow();
    const notJson = sampleState({ data: { n: Number.NaN } });
    const invalid = expectError(
      await service.commit({ workflowId, state: notJson, author: "a", baseVersion: 1 }),
      "INVALID_JSON",
    );
    expect(invalid.path).toBe("/state/data/n");
    let deep: unknown = 1;
    for (let i = 0; i < 600; i++) deep = [deep];
    const tooDeep = expectError(
      await service.commit({ workflowId, state: sampleState({ data: deep }), author: "a" }),
      "TOO_DEEP",
    );
    expect(tooDeep.path).toMatch(/^\/state\/data(\/0)+$/);
    // A patch value within the depth limit on its own is still too deep where it would land.
    let value: unknown = 1;
    for (let i = 0; i < 510; i++) value = [value];
    const landed = expectError(
      await service.commit({
        workflowId,
        patch: [{ op: "add", path: "/data/a", value: { b: { c: value } } }],
        author: "a",
      }),
      "TOO_DEEP",
    );
    expect(landed.path).toMatch(/^\/patch\/data\/a\/b\/c(\/0)+$/);
    expect(unwrap(await service.history({ workflowId })).versions).toHaveLength(1);
  });

  it("refuses a commit to a workflow that was never created", async () => {
    expectError(
      await service.commit({ workflowId: freshWorkflowId(), state: {}, author: "a" }),
      "NOT_FOUND",
    );
  });

  it("refuses settings that are not valid and keeps the old ones", async () => {
    const workflowId = await createWorkflow();
    const error = expectError(
      await service.configure({ workflowId, settings: { keyframeInterval: 0 } as never }),
      "VALIDATION_FAILED",
    );
    expect(error.path).toBe("/settings/keyframeInterval");
    expect(unwrap(await service.getSettings({ workflowId })).keyframeInterval).toBe(32);
    const unknown = expectError(
      await service.configure({
        workflowId,
        settings: { rules: [{ path: "/tasks/*", strategy: "nope" }] },
      }),
      "UNKNOWN_STRATEGY",
    );
    expect(unknown.path).toBe("/settings/rules/0/strategy");
    expectError(
      await service.configure({ workflowId, settings: { defaultStrategy: "nope" } }),
      "UNKNOWN_STRATEGY",
    );
    expect(unwrap(await service.getSettings({ workflowId })).defaultStrategy).toBe("reject");
  });

  it("refuses a patch that turns the state into an array", async () => {
    const workflowId = await createWorkflow();
    const error = expectError(
      await service.commit({
        workflowId,
        patch: [{ op: "replace", path: "", value: [] }],
        author: "a",
        baseVersion: 1,
      }),
      "VALIDATION_FAILED",
    );
    expect(error.path).toBe("/state");
  });

  it("names the missing branch of a merge by its field", async () => {
    const workflowId = await createWorkflow();
    expect(
      expectError(
        await service.mergeBranch({ workflowId, source: "ghost", author: "a" }),
        "NOT_FOUND",
      ).path,
    ).toBe("/source");
    unwrap(await service.createBranch({ workflowId, name: "b", author: "a" }));
    expect(
      expectError(
        await service.mergeBranch({ workflowId, source: "b", into: "ghost", author: "a" }),
        "NOT_FOUND",
      ).path,
    ).toBe("/into");
  });
});

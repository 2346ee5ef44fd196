import { unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { createWorkflow, expectError, sampleState, service } from "./helpers.ts";

type State = ReturnType<typeof sampleState>;

describe("branches", () => {
  it("commits on a branch without touching main, then merges it back", async () => {
    const workflowId = await createWorkflow();
    const branch = unwrap(
      await service.createBranch({ workflowId, name: "experiment", author: "alice" }),
    );
    expect(branch).toMatchObject({ name: "experiment", head: 1, createdFrom: 1 });

    const onBranch = sampleState();
    onBranch.tasks.t1.status = "completed";
    unwrap(
      await service.commit({
        workflowId,
        state: onBranch,
        author: "alice",
        baseVersion: 1,
        branch: "experiment",
      }),
    );
    const onMain = sampleState();
    onMain.tasks.t2.status = "claimed";
    unwrap(await service.commit({ workflowId, state: onMain, author: "bob", baseVersion: 1 }));
    expect((unwrap(await service.getState({ workflowId })).state as State).tasks.t1.status).toBe(
      "pending",
    );

    const merged = unwrap(
      await service.mergeBranch({ workflowId, source: "experiment", into: "main", author: "lead" }),
    );
    expect(merged.origin).toBe("merge");
    expect(merged.version.parents).toEqual([`${workflowId}@3`, `${workflowId}@2`]);
    const head = unwrap(await service.getState({ workflowId })).state as State;
    expect(head.tasks.t1.status).toBe("completed");
    expect(head.tasks.t2.status).toBe("claimed");
    const names = unwrap(await service.listBranches({ workflowId })).map(
      (b) => `${b.name}@${b.head}`,
    );
    expect(names).toEqual(["main@4", "experiment@2"]);
  });

  it("queues a merge conflict and resolves it with explicit values", async () => {
    const workflowId = await createWorkflow();
    unwrap(await service.createBranch({ workflowId, name: "b", author: "alice" }));
    const a = sampleState({ status: "paused" });
    unwrap(
      await service.commit({ workflowId, state: a, author: "alice", baseVersion: 1, branch: "b" }),
    );
    const m = sampleState({ status: "completed" });
    unwrap(await service.commit({ workflowId, state: m, author: "bob", baseVersion: 1 }));
    const error = expectError(
      await service.mergeBranch({ workflowId, source: "b", author: "lead" }),
      "CONFLICT",
    );
    const { conflictId } = error.details as { conflictId: string };
    expect(unwrap(await service.getState({ workflowId })).version.version).toBe(3);

    const missing = expectError(
      await service.resolveConflict({
        workflowId,
        conflictId,
        resolution: { values: {} },
        author: "lead",
      }),
      "VALIDATION_FAILED",
    );
    const issues = (missing.details as { issues: Array<{ path: string }> }).issues;
    expect(issues.map((issue) => issue.path)).toEqual(["/resolution/values/~1status"]);
    const resolved = unwrap(
      await service.resolveConflict({
        workflowId,
        conflictId,
        resolution: { values: { "/status": "failed" } },
        author: "lead",
      }),
    );
    expect(resolved.version.parents).toEqual([`${workflowId}@3`, `${workflowId}@2`]);
    expect((unwrap(await service.getState({ workflowId })).state as State).status).toBe("failed");
    const conflicts = unwrap(await service.listConflicts({ workflowId }));
    expect(conflicts).toEqual([
      expect.objectContaining({ id: conflictId, status: "resolved", resolvedVersion: 4 }),
    ]);
  });

  it("settles a merge conflict with a strategy when one is named", async () => {
    const workflowId = await createWorkflow();
    unwrap(await service.createBranch({ workflowId, name: "b", author: "alice" }));
    unwrap(
      await service.commit({
        workflowId,
        state: sampleState({ status: "paused" }),
        author: "a",
        baseVersion: 1,
        branch: "b",
      }),
    );
    unwrap(
      await service.commit({
        workflowId,
        state: sampleState({ status: "failed" }),
        author: "b",
        baseVersion: 1,
      }),
    );
    const merged = unwrap(
      await service.mergeBranch({ workflowId, source: "b", strategy: "theirs", author: "lead" }),
    );
    expect(merged.resolved).toEqual([
      expect.objectContaining({ path: "/status", strategy: "theirs" }),
    ]);
    expect((unwrap(await service.getState({ workflowId })).state as State).status).toBe("paused");
  });

  it("refuses bad branch operations with clear errors", async () => {
    const workflowId = await createWorkflow();
    unwrap(await service.createBranch({ workflowId, name: "dup", author: "a" }));
    expect(
      expectError(
        await service.createBranch({ workflowId, name: "dup", author: "a" }),
        "ALREADY_EXISTS",
      ).path,
    ).toBe("/name");
    expect(
      expectError(
        await service.createBranch({ workflowId, name: "../x", author: "a" }),
        "VALIDATION_FAILED",
      ).path,
    ).toBe("/name");
    expect(
      expectError(
        await service.createBranch({ workflowId, name: "x", fromVersion: 9, author: "a" }),
        "NOT_FOUND",
      ).path,
    ).toBe("/fromVersion");
    expectError(
      await service.mergeBranch({ workflowId, source: "main", into: "main", author: "a" }),
      "VALIDATION_FAILED",
    );
    expectError(
      await service.mergeBranch({ workflowId, source: "ghost", author: "a" }),
      "NOT_FOUND",
    );
    unwrap(await service.configure({ workflowId, settings: { limits: { maxBranches: 2 } } }));
    expectError(
      await service.createBranch({ workflowId, name: "third", author: "a" }),
      "TOO_LARGE",
    );
  });
});

import { checksum, unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { createWorkflow, expectError, freshWorkflowId, sampleState, service } from "./helpers.ts";

describe("create and commit", () => {
  it("creates version 1 on main with a checksum of the state", async () => {
    const workflowId = freshWorkflowId();
    const state = sampleState();
    const created = unwrap(await service.create({ workflowId, state, author: "alice" }));
    expect(created.version).toMatchObject({
      version: 1,
      branch: "main",
      parents: [],
      author: "alice",
    });
    expect(created.version.checksum).toBe(await checksum(state));
    const read = unwrap(await service.getState({ workflowId }));
    expect(read.state).toEqual(state);
    expect(read.version.version).toBe(1);
  });

  it("refuses to create the same workflow twice", async () => {
    const workflowId = await createWorkflow();
    expectError(await service.create({ workflowId, state: {}, author: "bob" }), "ALREADY_EXISTS");
  });

  it("fast-forwards a commit based on the head", async () => {
    const workflowId = await createWorkflow();
    const next = sampleState({ status: "paused" });
    const result = unwrap(
      await service.commit({
        workflowId,
        state: next,
        author: "alice",
        changeDescription: "pause",
        baseVersion: 1,
      }),
    );
    expect(result.origin).toBe("fast-forward");
    expect(result.version).toMatchObject({
      version: 2,
      parents: [`${workflowId}@1`],
      changeDescription: "pause",
    });
    expect(unwrap(await service.getState({ workflowId })).state).toEqual(next);
    expect(unwrap(await service.getState({ workflowId, version: 1 })).state).toEqual(sampleState());
  });

  it("merges disjoint edits from a stale base", async () => {
    const workflowId = await createWorkflow();
    const a = sampleState();
    a.tasks.t1.status = "claimed";
    unwrap(await service.commit({ workflowId, state: a, author: "agent-a", baseVersion: 1 }));
    const b = sampleState();
    b.tasks.t2.status = "completed";
    const merged = unwrap(
      await service.commit({ workflowId, state: b, author: "agent-b", baseVersion: 1 }),
    );
    expect(merged.origin).toBe("merge");
    expect(merged.version.version).toBe(3);
    const head = unwrap(await service.getState({ workflowId })).state as ReturnType<
      typeof sampleState
    >;
    expect(head.tasks.t1.status).toBe("claimed");
    expect(head.tasks.t2.status).toBe("completed");
  });

  it("applies a JSON Patch against the base version", async () => {
    const workflowId = await createWorkflow();
    const result = unwrap(
      await service.commit({
        workflowId,
        patch: [{ op: "replace", path: "/tasks/t1/status", value: "claimed" }],
        author: "agent-a",
        baseVersion: 1,
      }),
    );
    expect(result.version.version).toBe(2);
    const task = unwrap(await service.getState({ workflowId, path: "/tasks/t1" })).state;
    expect(task).toEqual({ id: "t1", status: "claimed", assignee: null });
  });

  it("queues a real conflict, commits nothing, and resolves it with both parents", async () => {
    const workflowId = await createWorkflow();
    const a = sampleState();
    a.tasks.t1.status = "completed";
    unwrap(await service.commit({ workflowId, state: a, author: "agent-a", baseVersion: 1 }));
    const b = sampleState();
    b.tasks.t1.status = "failed";
    const error = expectError(
      await service.commit({ workflowId, state: b, author: "agent-b", baseVersion: 1 }),
      "CONFLICT",
    );
    expect(error.path).toBe("/tasks/t1/status");
    const details = error.details as { conflictId: string; conflicts: Array<{ path: string }> };
    expect(details.conflicts.map((c) => c.path)).toEqual(["/tasks/t1/status"]);
    expect(unwrap(await service.getState({ workflowId })).version.version).toBe(2);

    const open = unwrap(await service.listConflicts({ workflowId, status: "open" }));
    expect(open.map((c) => c.id)).toEqual([details.conflictId]);
    const resolved = unwrap(
      await service.resolveConflict({
        workflowId,
        conflictId: details.conflictId,
        resolution: "theirs",
        author: "lead",
      }),
    );
    expect(resolved.version.parents).toEqual([`${workflowId}@2`, `${workflowId}@1`]);
    const head = unwrap(await service.getState({ workflowId })).state as ReturnType<
      typeof sampleState
    >;
    expect(head.tasks.t1.status).toBe("failed");
    expectError(
      await service.resolveConflict({
        workflowId,
        conflictId: details.conflictId,
        resolution: "ours",
        author: "lead",
      }),
      "ALREADY_EXISTS",
    );
  });

  it("returns the original version when a write is retried with its idempotency key", async () => {
    const workflowId = await createWorkflow();
    const write = {
      workflowId,
      state: sampleState({ status: "paused" }),
      author: "agent-a",
      baseVersion: 1,
      idempotencyKey: "retry-1",
    };
    const first = unwrap(await service.commit(write));
    const second = unwrap(await service.commit(write));
    expect(second.version).toEqual(first.version);
    expect(second.replayed).toBe(true);
    expect(unwrap(await service.history({ workflowId })).versions).toHaveLength(2);
  });

  it("loses no update when 100 writers commit concurrently from stale bases", async () => {
    const workflowId = await createWorkflow(sampleState({ tasks: {} }));
    const writers = Array.from({ length: 100 }, (_, i) =>
      service.commit({
        workflowId,
        patch: [
          {
            op: "add",
            path: `/tasks/w${i}`,
            value: { id: `w${i}`, status: "completed", assignee: `agent-${i}` },
          },
        ],
        author: `agent-${i}`,
        baseVersion: 1,
      }),
    );
    const results = await Promise.all(writers);
    expect(results.every((result) => result.ok)).toBe(true);
    const versions = results.map((result) => unwrap(result).version.version).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 100 }, (_, i) => i + 2));
    const head = unwrap(await service.getState({ workflowId })).state as {
      tasks: Record<string, unknown>;
    };
    expect(Object.keys(head.tasks)).toHaveLength(100);
    const report = unwrap(await service.verifyIntegrity({ workflowId }));
    expect(report).toMatchObject({ ok: true, checked: 101, problems: [] });
  });

  it("treats a matching If-Match as a write based on the head", async () => {
    const workflowId = await createWorkflow();
    unwrap(await service.configure({ workflowId, settings: { unbasedWrites: "reject" } }));
    const head = unwrap(await service.getState({ workflowId }));
    const result = unwrap(
      await service.commit({
        workflowId,
        state: sampleState({ status: "paused" }),
        author: "a",
        ifMatch: head.version.checksum,
      }),
    );
    expect(result.origin).toBe("fast-forward");
    expectError(
      await service.commit({ workflowId, state: sampleState(), author: "a" }),
      "VALIDATION_FAILED",
    );
  });
});

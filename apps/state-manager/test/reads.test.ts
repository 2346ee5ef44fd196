import { applyPatch, type JsonValue, unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { createWorkflow, expectError, freshWorkflowId, sampleState, service } from "./helpers.ts";

async function workflowWithVersions(count: number): Promise<string> {
  const workflowId = await createWorkflow();
  for (let i = 2; i <= count; i++) {
    unwrap(
      await service.commit({
        workflowId,
        patch: [{ op: "replace", path: "/metadata/counter", value: i }],
        author: `agent-${i % 3}`,
        changeDescription: `step ${i}`,
        baseVersion: i - 1,
      }),
    );
  }
  return workflowId;
}

describe("reads", () => {
  it("pages through history newest first with a cursor", async () => {
    const workflowId = await workflowWithVersions(7);
    const first = unwrap(await service.history({ workflowId, limit: 3 }));
    expect(first.versions.map((v) => v.version)).toEqual([7, 6, 5]);
    expect(first.nextCursor).toBe(5);
    const second = unwrap(await service.history({ workflowId, limit: 3, cursor: 5 }));
    expect(second.versions.map((v) => v.version)).toEqual([4, 3, 2]);
    const last = unwrap(await service.history({ workflowId, limit: 3, cursor: 2 }));
    expect(last.versions.map((v) => v.version)).toEqual([1]);
    expect(last.nextCursor).toBeNull();
    expect(first.versions[0]).toMatchObject({
      author: "agent-1",
      changeDescription: "step 7",
      branch: "main",
    });
  });

  it("reads any historical version, whole or at a pointer", async () => {
    const workflowId = await workflowWithVersions(40);
    for (const version of [1, 2, 17, 33, 40]) {
      const read = unwrap(
        await service.getState({ workflowId, version, path: "/metadata/counter" }),
      );
      expect(read.state).toBe(version === 1 ? 0 : version);
      expect(read.version.version).toBe(version);
    }
  });

  it("diffs any two versions into a patch that replays", async () => {
    const workflowId = await workflowWithVersions(5);
    const from = unwrap(await service.getState({ workflowId, version: 2 })).state;
    const to = unwrap(await service.getState({ workflowId, version: 5 })).state;
    const { patch } = unwrap(await service.diff({ workflowId, from: 2, to: 5 }));
    expect(applyPatch(from as JsonValue, patch)).toEqual(to);
    const back = unwrap(await service.diff({ workflowId, from: 5, to: 2 }));
    expect(applyPatch(to as JsonValue, back.patch)).toEqual(from);
  });

  it("serves the change feed in order with old and new values", async () => {
    const workflowId = await workflowWithVersions(4);
    const feed = unwrap(await service.changesSince({ workflowId, version: 1 }));
    expect(feed.hasMore).toBe(false);
    expect(feed.entries.map((entry) => entry.version.version)).toEqual([2, 3, 4]);
    expect(feed.entries[0]?.changes).toEqual([
      expect.objectContaining({
        type: "metadata-update",
        path: "/metadata/counter",
        oldValue: 0,
        newValue: 2,
      }),
    ]);
    const paged = unwrap(await service.changesSince({ workflowId, version: 0, limit: 2 }));
    expect(paged.entries.map((entry) => entry.version.version)).toEqual([1, 2]);
    expect(paged.hasMore).toBe(true);
  });

  it("reports unknown workflows, versions and paths as NOT_FOUND naming the field", async () => {
    const workflowId = await createWorkflow();
    expect(
      expectError(await service.getState({ workflowId: freshWorkflowId() }), "NOT_FOUND").path,
    ).toBe("/workflowId");
    expect(expectError(await service.getState({ workflowId, version: 99 }), "NOT_FOUND").path).toBe(
      "/version",
    );
    expect(
      expectError(await service.getState({ workflowId, branch: "nope" }), "NOT_FOUND").path,
    ).toBe("/branch");
    expect(
      expectError(await service.getState({ workflowId, path: "/tasks/zz" }), "NOT_FOUND").path,
    ).toBe("/path");
    expect(expectError(await service.diff({ workflowId, from: 1, to: 9 }), "NOT_FOUND").path).toBe(
      "/to",
    );
  });

  it("returns the head after many commits cheaply from the cache and from storage alike", async () => {
    const workflowId = await workflowWithVersions(3);
    const head = unwrap(await service.getState({ workflowId }));
    expect(head.state).toEqual({ ...sampleState(), metadata: { counter: 3 } });
  });
});

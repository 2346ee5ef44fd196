import { unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { createWorkflow, expectError, sampleState, service } from "./helpers.ts";

describe("snapshots", () => {
  it("restores a snapshot as a new version without rewriting history", async () => {
    const workflowId = await createWorkflow();
    const snapshot = unwrap(
      await service.createSnapshot({ workflowId, description: "before launch", author: "ops" }),
    );
    expect(snapshot).toMatchObject({ version: 1, description: "before launch", author: "ops" });
    unwrap(
      await service.commit({
        workflowId,
        state: sampleState({ status: "failed" }),
        author: "a",
        baseVersion: 1,
      }),
    );
    const restored = unwrap(
      await service.restore({ workflowId, snapshotId: snapshot.id, author: "ops" }),
    );
    expect(restored).toMatchObject({
      origin: "restore",
      version: { version: 3, checksum: snapshot.checksum },
    });
    expect(unwrap(await service.getState({ workflowId })).state).toEqual(sampleState());
    expect(unwrap(await service.history({ workflowId })).versions.map((v) => v.version)).toEqual([
      3, 2, 1,
    ]);
    expect(unwrap(await service.listSnapshots({ workflowId })).map((s) => s.id)).toEqual([
      snapshot.id,
    ]);
    const audit = unwrap(await service.auditLog({ workflowId })).entries.map(
      (entry) => entry.action,
    );
    expect(audit).toEqual(
      expect.arrayContaining(["snapshot.created", "snapshot.restored", "version.restore"]),
    );
  });

  it("reports an unknown snapshot as NOT_FOUND", async () => {
    const workflowId = await createWorkflow();
    const error = expectError(
      await service.restore({ workflowId, snapshotId: "nope", author: "ops" }),
      "NOT_FOUND",
    );
    expect(error.path).toBe("/snapshotId");
  });
});

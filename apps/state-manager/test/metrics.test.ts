import { unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { createWorkflow, expectError, sampleState, service } from "./helpers.ts";

describe("metrics", () => {
  it("counts versions, conflicts detected, auto-resolved, queued and resolved, and latencies", async () => {
    const workflowId = await createWorkflow();
    unwrap(
      await service.configure({
        workflowId,
        settings: { rules: [{ path: "/metadata/*", strategy: "theirs" }] },
      }),
    );
    unwrap(
      await service.commit({
        workflowId,
        state: sampleState({ metadata: { counter: 1 } }),
        author: "a",
        baseVersion: 1,
      }),
    );
    // Overlaps on /metadata/counter (a rule settles it) …
    unwrap(
      await service.commit({
        workflowId,
        state: sampleState({ metadata: { counter: 2 } }),
        author: "b",
        baseVersion: 1,
      }),
    );
    // … and on /status, which nothing settles.
    unwrap(
      await service.commit({
        workflowId,
        state: sampleState({ status: "paused", metadata: { counter: 2 } }),
        author: "a",
        baseVersion: 3,
      }),
    );
    const error = expectError(
      await service.commit({
        workflowId,
        state: sampleState({ status: "failed", metadata: { counter: 2 } }),
        author: "b",
        baseVersion: 3,
      }),
      "CONFLICT",
    );
    const { conflictId } = error.details as { conflictId: string };
    unwrap(
      await service.resolveConflict({ workflowId, conflictId, resolution: "ours", author: "lead" }),
    );
    unwrap(await service.getState({ workflowId }));

    const metrics = unwrap(await service.metrics({ workflowId }));
    expect(metrics).toMatchObject({
      versions: 5,
      versionsCreated: 5,
      conflictsDetected: 2,
      conflictsAutoResolved: 1,
      conflictsQueued: 1,
      conflictsResolved: 1,
      openConflicts: 0,
      autoResolutionRate: 0.5,
    });
    expect(metrics.persistence.count).toBeGreaterThanOrEqual(5);
    expect(metrics.retrieval.count).toBeGreaterThanOrEqual(1);
    expect(metrics.storedBytes).toBeGreaterThan(0);
  });
});

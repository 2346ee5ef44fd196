import { unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { createWorkflow, expectError, sampleState, service } from "./helpers.ts";

describe("metrics", () => {
  it("counts versions, concurrent commits, conflicts detected, auto-resolved, queued and resolved, and latencies", async () => {
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
      concurrentCommits: 2,
      concurrentMerged: 0,
      concurrentResolved: 1,
      concurrentQueued: 1,
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

describe("auto-resolution rate", () => {
  it("is the share of concurrent commits merged or resolved, as 8 stale writers see it", {
    timeout: 120_000,
  }, async () => {
    const workflowId = await createWorkflow();
    unwrap(
      await service.configure({
        workflowId,
        settings: { rules: [{ path: "/metadata/counter", strategy: "sum" }] },
      }),
    );
    const seen = { fastForward: 0, merged: 0, resolved: 0, queued: 0 };
    // 40 rounds: all 8 writers read the head, then write from it one after another, so the
    // first is a fast-forward and the other 7 commit from a base older than the head.
    for (let round = 0; round < 40; round++) {
      const base = unwrap(await service.getState({ workflowId }));
      for (let writer = 0; writer < 8; writer++) {
        const state = structuredClone(base.state) as ReturnType<typeof sampleState>;
        const metadata = state.metadata as Record<string, unknown>;
        metadata[`w${writer}`] = round; // disjoint fields: merges cleanly
        // Writers 1 and 2 both add to a counter, every fourth round: an overlap the `sum` rule
        // settles.
        if (round % 4 === 0 && (writer === 1 || writer === 2)) {
          metadata.counter = Number(metadata.counter) + writer;
        }
        // Writers 3 and 4 set the same field to different values, every tenth round: a real
        // conflict, queued.
        if (round % 10 === 0 && (writer === 3 || writer === 4)) {
          (state.data as Record<string, unknown>).owner = `w${writer} in round ${round}`;
        }
        const result = await service.commit({
          workflowId,
          state,
          author: `w${writer}`,
          baseVersion: base.version.version,
        });
        if (!result.ok) {
          expect(result.error.code, JSON.stringify(result.error)).toBe("CONFLICT");
          seen.queued++;
        } else if (result.value.origin === "fast-forward") seen.fastForward++;
        else if (result.value.resolved.length > 0) seen.resolved++;
        else seen.merged++;
      }
    }
    expect(seen).toEqual({ fastForward: 40, merged: 266, resolved: 10, queued: 4 });

    const metrics = unwrap(await service.metrics({ workflowId }));
    expect(metrics).toMatchObject({
      concurrentCommits: 280,
      concurrentMerged: 266,
      concurrentResolved: 10,
      concurrentQueued: 4,
      conflictsQueued: 4,
    });
    expect(metrics.autoResolutionRate).toBeCloseTo(276 / 280, 12);
  });
});

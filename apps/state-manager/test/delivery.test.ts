import { abortAllDurableObjects, runInDurableObject } from "cloudflare:test";
import { unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { retryAfter } from "../src/change-consumers.ts";
import type { StateManager } from "../src/state-manager.ts";
import { prepareVersion, writeVersion } from "../src/version-writer.ts";
import { CONSUMER, consumer, upTo, waitFor } from "./delivery-helpers.ts";
import { freshWorkflowId, sampleState, service, stubOf } from "./helpers.ts";

/** Creates a workflow and commits versions 2…`versions`, one counter value each. */
async function workflowWith(versions: number, workflowId = freshWorkflowId()): Promise<string> {
  unwrap(await service.create({ workflowId, state: sampleState(), author: "tester" }));
  for (let i = 2; i <= versions; i++) {
    const patch = [{ op: "replace" as const, path: "/metadata/counter", value: i }];
    unwrap(await service.commit({ workflowId, patch, author: "tester" }));
  }
  return workflowId;
}

const recordOf = (workflowId: string) => () => consumer.record({ workflowId });

/** The outbox's versions and the consumer's cursor, read inside the object. */
function outboxOf(workflowId: string) {
  return runInDurableObject(stubOf(workflowId), (instance: StateManager) => ({
    pending: instance.outbox.versions(),
    cursor: instance.outbox.cursor(CONSUMER),
    retryAt: instance.timers.get("delivery", CONSUMER),
  }));
}

describe("change delivery", () => {
  it("delivers every version once, in order, and prunes what was acknowledged", async () => {
    const workflowId = await workflowWith(12);
    const record = await waitFor(recordOf(workflowId), (r) => r.applied.length >= 12);
    expect(record.applied).toEqual(upTo(12));
    expect(record).toMatchObject({ failures: 0, duplicates: 0, gaps: [] });
    // Each delivery starts right after the one before it ended.
    expect(record.deliveries.flat()).toEqual(upTo(12));
    const outbox = await waitFor(
      () => outboxOf(workflowId),
      (o) => o.pending.length === 0,
    );
    expect(outbox.cursor).toEqual({ acked: 12, failures: 0 });
    expect(outbox.retryAt).toBeUndefined();
  });

  it.each(["refuse", "throw"] as const)(
    "loses nothing and keeps the order across a consumer that fails (%s) for a while",
    async (mode) => {
      const workflowId = freshWorkflowId();
      await consumer.fail({ workflowId, count: 4, mode });
      await workflowWith(6, workflowId);
      const record = await waitFor(recordOf(workflowId), (r) => r.applied.length >= 6);
      expect(record.failures).toBe(4);
      expect(record.applied).toEqual(upTo(6));
      // Every retry starts from the cursor: the first accepted delivery begins at version 1.
      const accepted = record.deliveries.slice(4);
      expect(accepted[0]?.[0]).toBe(1);
      expect(accepted.flat()).toEqual(upTo(6));
      await waitFor(
        () => outboxOf(workflowId),
        (o) => o.pending.length === 0 && o.cursor.failures === 0,
      );
    },
  );

  it("keeps every commit in the outbox while the consumer is down, with a capped backoff", async () => {
    const workflowId = freshWorkflowId();
    await consumer.fail({ workflowId, count: 1000, mode: "refuse" });
    await workflowWith(5, workflowId);
    // 50, 100, 200, 400, 400 ms: six failures within about two seconds.
    const down = await waitFor(
      () => outboxOf(workflowId),
      (o) => o.cursor.failures >= 6,
    );
    expect(down.pending).toEqual(upTo(5));
    expect(down.cursor.acked).toBe(0);
    // The next attempt is at most the cap away.
    expect(down.retryAt).toBeDefined();
    expect((down.retryAt ?? 0) - Date.now()).toBeLessThanOrEqual(400);
    await consumer.fail({ workflowId, count: 0, mode: "refuse" });
    const record = await waitFor(recordOf(workflowId), (r) => r.applied.length >= 5);
    expect(record.applied).toEqual(upTo(5));
  });

  it("resumes from the cursor after the state manager is aborted mid-delivery", async () => {
    const workflowId = await workflowWith(3);
    await waitFor(recordOf(workflowId), (r) => r.applied.length >= 3);
    // The next delivery is received and applied, but its answer never reaches the object.
    await consumer.fail({ workflowId, count: 1, mode: "stall" });
    unwrap(
      await service.commit({
        workflowId,
        patch: [{ op: "replace", path: "/status", value: "paused" }],
        author: "tester",
      }),
    );
    await waitFor(recordOf(workflowId), (r) => r.deliveries.length >= 2);
    await abortAllDurableObjects();

    // Nothing calls the object now: the alarm set before the attempt brings it back, and it
    // delivers version 4 again, from the cursor (3). The stalled answer was lost with the abort.
    const record = await waitFor(recordOf(workflowId), (r) => r.applied.length >= 4, 20_000);
    expect(record.deliveries.flat()).toEqual([1, 2, 3, 4, 4]);
    expect(record.applied).toEqual(upTo(4));
    unwrap(
      await service.commit({
        workflowId,
        patch: [{ op: "replace", path: "/status", value: "running" }],
        author: "tester",
      }),
    );
    const after = await waitFor(recordOf(workflowId), (r) => r.applied.length >= 5);
    expect(after.applied).toEqual(upTo(5));
    expect(after.gaps).toEqual([]);
  });

  it("writes the outbox row in the commit's transaction: a failed commit leaves none", async () => {
    const workflowId = freshWorkflowId();
    await consumer.fail({ workflowId, count: 1000, mode: "refuse" });
    await workflowWith(2, workflowId);
    const outcome = await runInDurableObject(stubOf(workflowId), async (instance: StateManager) => {
      const next = {
        branch: "main",
        parents: [2],
        state: sampleState({ status: "done" }),
        author: "tester",
        description: "",
        origin: "fast-forward" as const,
      };
      const prepared = await prepareVersion(instance, next);
      const thrown = (() => {
        try {
          writeVersion(instance, prepared, () => {
            throw new Error("a later write of the same commit fails");
          });
          return undefined;
        } catch (error) {
          return String(error);
        }
      })();
      const afterFailure = {
        latest: instance.versions.latest(),
        outbox: instance.outbox.versions(),
      };
      writeVersion(instance, await prepareVersion(instance, next));
      return { thrown, afterFailure, outbox: instance.outbox.versions() };
    });
    expect(outcome.thrown).toContain("a later write of the same commit fails");
    expect(outcome.afterFailure).toEqual({ latest: 2, outbox: [1, 2] });
    expect(outcome.outbox).toEqual([1, 2, 3]);
    await consumer.fail({ workflowId, count: 0, mode: "refuse" });
    const record = await waitFor(recordOf(workflowId), (r) => r.applied.length >= 3);
    expect(record.applied).toEqual(upTo(3));
  });
});

describe("retryAfter", () => {
  it("doubles from the first delay and stops at the cap", () => {
    const config = { firstRetryMs: 1000, maxRetryMs: 300_000 };
    expect([1, 2, 3, 4].map((n) => retryAfter(n, config))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryAfter(9, config)).toBe(256_000);
    expect(retryAfter(10, config)).toBe(300_000);
    expect(retryAfter(10_000, config)).toBe(300_000);
  });
});

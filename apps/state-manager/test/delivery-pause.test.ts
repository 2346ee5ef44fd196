import { unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { consumer, waitFor } from "./delivery-helpers.ts";
import { freshWorkflowId, sampleState, service } from "./helpers.ts";

async function commitCounter(workflowId: string, value: number): Promise<number> {
  const patch = [{ op: "replace" as const, path: "/metadata/counter", value }];
  return unwrap(await service.commit({ workflowId, patch, author: "tester" })).version.version;
}

const recordOf = (workflowId: string) => () => consumer.record({ workflowId });

/** Long enough for a delivery that should not come to have come (the retry is 50 ms here). */
const QUIET_MS = 400;

describe("a consumer's pause", () => {
  it("stops deliveries until the consumer resumes them, then starts after the newest version", async () => {
    const workflowId = freshWorkflowId();
    await consumer.pause({ workflowId, on: true });
    unwrap(await service.create({ workflowId, state: sampleState(), author: "tester" }));
    await waitFor(recordOf(workflowId), (r) => r.deliveries.length >= 1);
    await commitCounter(workflowId, 2);
    await commitCounter(workflowId, 3);
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    expect((await consumer.record({ workflowId })).deliveries).toEqual([[1]]);

    await consumer.pause({ workflowId, on: false });
    expect(unwrap(await service.resumeChanges({ workflowId }))).toEqual({ after: 3 });
    await commitCounter(workflowId, 4);
    const record = await waitFor(recordOf(workflowId), (r) => r.applied.includes(4));
    expect(record.deliveries).toEqual([[1], [4]]);
    // What the consumer missed while paused, as its inbox sees it.
    expect(record.gaps).toEqual([{ after: 1, next: 4 }]);
  });

  it("does not hold when the consumer resumed while its pause was on the way", async () => {
    const workflowId = freshWorkflowId();
    unwrap(await service.create({ workflowId, state: sampleState(), author: "tester" }));
    await waitFor(recordOf(workflowId), (r) => r.applied.length >= 1);
    // Version 2's answer asks to pause, but only after two seconds...
    await consumer.fail({ workflowId, count: 1, mode: "stall" });
    await consumer.pause({ workflowId, on: true });
    await commitCounter(workflowId, 2);
    await waitFor(recordOf(workflowId), (r) => r.deliveries.length >= 2);
    // ...and the consumer resumes before it arrives.
    await consumer.pause({ workflowId, on: false });
    unwrap(await service.resumeChanges({ workflowId }));
    await waitFor(recordOf(workflowId), (r) => r.applied.includes(2));
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    await commitCounter(workflowId, 3);
    const record = await waitFor(recordOf(workflowId), (r) => r.applied.includes(3));
    expect(record.applied).toEqual([1, 2, 3]);
  });

  it("is refused for a workflow that does not exist, at /workflowId", async () => {
    const refused = await service.resumeChanges({ workflowId: freshWorkflowId() });
    expect(refused).toMatchObject({ ok: false, error: { code: "NOT_FOUND", path: "/workflowId" } });
    const malformed = await service.resumeChanges({ workflowId: "" });
    expect(malformed).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
  });
});

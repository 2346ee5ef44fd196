import { describe, expect, it } from "vitest";
import { createWorkflow, sampleState } from "./helpers.ts";
import { commitMany, openSse, openWs, range, verifyChain } from "./streams.ts";

describe("100 subscribers", () => {
  it("each receive 200 commits in order, every checksum verified", async () => {
    const { id } = await createWorkflow();
    const sse = await Promise.all(Array.from({ length: 50 }, () => openSse(id)));
    const ws = await Promise.all(Array.from({ length: 50 }, () => openWs(id)));
    await commitMany(id, 200, 10);
    await Promise.all([...sse, ...ws].map((stream) => stream.untilVersion(201)));
    for (const stream of [...sse, ...ws]) {
      expect(stream.events.map((event) => event.version)).toEqual(range(2, 201));
      await verifyChain(stream.events, new Map([[1, sampleState() as never]]));
    }
    for (const stream of sse) await stream.cancel();
    for (const stream of ws) stream.close();
  }, 120_000);
});

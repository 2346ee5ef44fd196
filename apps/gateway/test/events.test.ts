import { describe, expect, it } from "vitest";
import { createWorkflow, sampleState } from "./helpers.ts";
import { commitMany, openSse, openWs, range, verifyChain } from "./streams.ts";

describe("GET /api/workflows/{id}/events", () => {
  it("streams live commits as SSE, each verifiable against its parent", async () => {
    const { id } = await createWorkflow();
    const stream = await openSse(id);
    expect(stream.response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    await commitMany(id, 5, 1);
    await stream.untilVersion(6);
    expect(stream.messages.map((m) => [m.id, m.event])).toEqual(
      range(2, 6).map((v) => [String(v), "version"]),
    );
    await verifyChain(stream.events, new Map([[1, sampleState() as never]]));
    await stream.cancel();
  });
});

describe("GET /api/workflows/{id}/subscribe", () => {
  it("streams replay then live commits as WebSocket messages", async () => {
    const { id } = await createWorkflow();
    await commitMany(id, 3, 1);
    const ws = await openWs(id, "?since=0");
    await ws.untilVersion(4);
    await commitMany(id, 2, 1);
    await ws.untilVersion(6);
    expect(ws.events.map((e) => e.version)).toEqual(range(1, 6));
    await verifyChain(ws.events, new Map());
    ws.close();
  });
});

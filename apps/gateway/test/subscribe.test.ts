import { describe, expect, it } from "vitest";
import { ADMIN, api, createWorkflow, expectStatus, type Problem } from "./helpers.ts";
import { commitMany, openWs, range, subscribeRequest, verifyChain } from "./streams.ts";

describe("GET /api/workflows/{id}/subscribe", () => {
  it("streams a replay, then live commits, one JSON message each", async () => {
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

  it("resumes a subscriber cut off mid-replay from since, with nothing lost or repeated", async () => {
    const { id } = await createWorkflow();
    await commitMany(id, 249);
    const first = await openWs(id, "?since=0");
    await first.until(() => first.events.length >= 120, "120 events");
    // What it had processed when it was cut off; anything still in flight is lost with the line.
    const received = [...first.events];
    first.close();
    const last = received.at(-1)?.version ?? 0;
    await commitMany(id, 10);
    const second = await openWs(id, `?since=${last}`);
    await second.untilVersion(260);
    const all = [...received, ...second.events];
    expect(all.map((event) => event.version)).toEqual(range(1, 260));
    await verifyChain(all, new Map());
    second.close();
  });

  it("answers ping with pong, and closes with 1008 on a message it does not understand", async () => {
    const { id } = await createWorkflow();
    const ws = await openWs(id);
    ws.socket.send("ping");
    await ws.until(() => ws.messages.includes("pong"), "pong");
    ws.ack(1);
    ws.socket.send("hello");
    await ws.untilClosed();
    expect(ws.closed).toEqual({ code: 1008, reason: 'send {"ack":<version>} or "ping"' });
  });

  it("answers 426 without the upgrade, and problems before upgrading", async () => {
    const { id } = await createWorkflow();
    const plain = await expectStatus<Problem>(
      api(`/api/workflows/${id}/subscribe`, { token: ADMIN }),
      426,
    );
    expect(plain).toMatchObject({
      code: "UPGRADE_REQUIRED",
      errors: [{ path: "/headers/upgrade" }],
    });
    const past = await expectStatus<Problem>(subscribeRequest(id, "?since=5"), 404);
    expect(past.errors.map((error) => error.path)).toEqual(["/query/since"]);
    const bad = await expectStatus<Problem>(subscribeRequest(id, "?types=x"), 422);
    expect(bad.errors.map((error) => error.path)).toEqual(["/query/types"]);
  });
});

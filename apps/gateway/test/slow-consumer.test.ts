import { env } from "cloudflare:workers";
import { type StateEvent, unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { createWorkflow, sampleState } from "./helpers.ts";
import { commitMany, events, openSse, openWs, range, SseReader, verifyChain } from "./streams.ts";

/** Commits `count` versions of about 300 KB each (an event of about 900 KB: patch, old and new). */
async function commitLarge(workflowId: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const blob = String.fromCharCode(97 + (i % 26)).repeat(300_000);
    unwrap(
      await env.STATE.commit({
        workflowId,
        patch: [{ op: "replace", path: "/data/blob", value: blob }],
        author: "agent",
      }),
    );
  }
}

describe("a consumer that falls behind", () => {
  it("gets event: resume with the version to resume from, over SSE, and loses nothing by resuming", async () => {
    const { id } = await createWorkflow(sampleState({ data: { blob: "" } }));
    // Not read until the backlog is past 8 MiB.
    const response = await events(id);
    expect(response.status).toBe(200);
    await commitLarge(id, 14);
    const stream = new SseReader(response).read();
    await stream.untilEnded();
    const last = stream.messages.at(-1);
    expect(last?.event).toBe("resume");
    const { since } = JSON.parse(last?.data ?? "{}") as { since: number };
    const received = stream.events.map((event) => event.version);
    expect(received).toEqual(range(2, since));
    expect(since).toBeLessThan(15);

    const rest = await openSse(id, "", { "last-event-id": String(since) });
    await rest.untilVersion(15);
    expect([...received, ...rest.events.map((event) => event.version)]).toEqual(range(2, 15));
    await verifyChain([...stream.events, ...rest.events], await statesFrom(id, 1));
    await rest.cancel();
  }, 60_000);
});

async function statesFrom(workflowId: string, version: number) {
  const read = unwrap(await env.STATE.getState({ workflowId, version }));
  return new Map([[version, read.state]]);
}

describe("an SSE consumer that stops reading", () => {
  it("gets event: resume past 1,000 events behind, while one that reads gets every event", async () => {
    const { id } = await createWorkflow();
    const stalled = await events(id);
    const reading = await openSse(id);
    await commitMany(id, 1050);
    await reading.untilVersion(1051);
    expect(reading.events.map((event) => event.version)).toEqual(range(2, 1051));
    const stream = new SseReader(stalled).read();
    await stream.untilEnded();
    const last = stream.messages.at(-1);
    expect(last?.event).toBe("resume");
    const { since } = JSON.parse(last?.data ?? "{}") as { since: number };
    expect(stream.events.map((event) => event.version)).toEqual(range(2, since));
    expect(since).toBeLessThan(1051 - 1000);
    await reading.cancel();
  }, 60_000);
});

describe("a WebSocket subscriber that does not acknowledge", () => {
  it("is closed with 4008 and the version to resume from, past 8 MiB unacknowledged", async () => {
    const { id } = await createWorkflow(sampleState({ data: { blob: "" } }));
    const silent = await openWs(id);
    const acking = await openWs(id);
    acking.socket.addEventListener("message", (message) => {
      const text = String(message.data);
      if (text.startsWith("{")) acking.ack((JSON.parse(text) as StateEvent).version);
    });
    await commitLarge(id, 12);
    await silent.untilClosed();
    expect(silent.closed).toEqual({ code: 4008, reason: JSON.stringify({ since: 1 }) });
    expect(silent.events.length).toBeLessThan(11);
    await acking.untilVersion(13);
    expect(acking.events.map((event) => event.version)).toEqual(range(2, 13));
    expect(acking.closed).toBeUndefined();
    acking.close();
  }, 60_000);

  it("is closed with 4008 past 1,000 unacknowledged events, since naming its last acknowledgement", async () => {
    const { id } = await createWorkflow();
    await commitMany(id, 1049);
    const ws = await openWs(id, "?since=0");
    await ws.until(() => ws.events.length >= 10, "10 events");
    ws.ack(10);
    await ws.untilClosed();
    expect(ws.closed).toEqual({ code: 4008, reason: JSON.stringify({ since: 10 }) });
    expect(ws.events.length).toBeGreaterThan(1000);
    const rest = await openWs(id, "?since=10");
    rest.socket.addEventListener("message", (message) => {
      const text = String(message.data);
      if (text.startsWith("{")) rest.ack((JSON.parse(text) as StateEvent).version);
    });
    await rest.untilVersion(1050);
    expect(rest.events.map((event) => event.version)).toEqual(range(11, 1050));
    rest.close();
  }, 60_000);
});

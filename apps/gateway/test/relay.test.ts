import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { controlFrame, eventFrame } from "@chorus/core";
import { describe, expect, it } from "vitest";
import type { Identity } from "../src/auth.ts";
import type { Env } from "../src/env.ts";
import { relayAsSse } from "../src/sse-relay.ts";
import { relayAsWebSocket } from "../src/ws-relay.ts";
import { SseReader, WsClient } from "./streams.ts";

// The relays run against a real WebSocket pair whose far end plays the state manager, to see
// what a subscriber gets when that end goes away, which a test cannot make the object do.
const ADMIN_IDENTITY: Identity = { role: "admin", author: "admin", workflowIds: null };

function stateManagerEnd(): { relayed: WebSocket; far: WebSocket } {
  const [relayed, far] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
  far.accept();
  return { relayed, far };
}

const event = (version: number) => eventFrame(version, JSON.stringify({ version }));

describe("when the state manager's end closes", () => {
  it("an SSE stream ends with event: resume naming the last version sent, or end on a failure", async () => {
    const restart = stateManagerEnd();
    const stream = new SseReader(
      relayAsSse(env as Env, createExecutionContext(), ADMIN_IDENTITY, restart.relayed),
    ).read();
    restart.far.send(controlFrame({ type: "open", cursor: 5 }));
    restart.far.send(event(6));
    await stream.until(() => stream.messages.length === 1, "one event");
    restart.far.close(1001, "going away");
    await stream.untilEnded();
    expect(stream.messages.map((m) => [m.event, m.data])).toEqual([
      ["version", '{"version":6}'],
      ["resume", '{"since":6}'],
    ]);

    const failure = stateManagerEnd();
    const failed = new SseReader(
      relayAsSse(env as Env, createExecutionContext(), ADMIN_IDENTITY, failure.relayed),
    ).read();
    failure.far.send(controlFrame({ type: "open", cursor: 5 }));
    failure.far.close(1011, "version 6 is missing");
    await failed.untilEnded();
    expect(failed.messages).toEqual([
      { event: "end", data: '{"code":"INTERNAL","detail":"version 6 is missing"}' },
    ]);
  });

  it("a WebSocket subscriber is closed with 1012 and the last version it acknowledged", async () => {
    const restart = stateManagerEnd();
    const response = relayAsWebSocket(
      env as Env,
      createExecutionContext(),
      ADMIN_IDENTITY,
      restart.relayed,
    );
    const client = new WsClient(response.webSocket as WebSocket);
    restart.far.send(controlFrame({ type: "open", cursor: 5 }));
    restart.far.send(event(6));
    restart.far.send(event(7));
    await client.untilVersion(7);
    client.ack(6);
    await new Promise((resolve) => setTimeout(resolve, 50));
    restart.far.close(1001, "going away");
    await client.untilClosed();
    expect(client.closed).toEqual({ code: 1012, reason: '{"since":6}' });
  });

  it("ends a stream whose state manager sends something that is no frame", async () => {
    const end = stateManagerEnd();
    const stream = new SseReader(
      relayAsSse(env as Env, createExecutionContext(), ADMIN_IDENTITY, end.relayed),
    ).read();
    end.far.send("nonsense");
    await stream.untilEnded();
    expect(stream.messages).toEqual([
      {
        event: "end",
        data: '{"code":"INTERNAL","detail":"the state manager sent a malformed frame"}',
      },
    ]);
  });
});

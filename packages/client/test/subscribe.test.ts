// The client's side of the stream protocol where the real stack cannot be made to say it on cue:
// `event: resume` (only after 1,000 events of backlog), `event: end`, a 503 on the way. A local
// server speaks the wire format; the real streams are exercised in streams.test.ts.
import type { StateEvent } from "@chorus/core";
import { afterEach, describe, expect, it } from "vitest";
import { AuthError, ChorusClient } from "../src/index.ts";
import { fakeServer, type Reply } from "./fake-server.ts";

const event = (version: number): string => {
  const body: StateEvent = {
    workflowId: "w1",
    version,
    branch: "main",
    parents: version === 1 ? [] : [version - 1],
    author: "admin",
    changeDescription: "",
    timestamp: 0,
    checksum: "0".repeat(64),
    patch: [],
    changes: [],
  };
  return `id: ${version}\nevent: version\ndata: ${JSON.stringify(body)}\n\n`;
};
const sse = (...frames: string[]): Reply => ({
  status: 200,
  headers: { "content-type": "text/event-stream" },
  body: frames.join(""),
});

let close: (() => Promise<void>) | undefined;
afterEach(() => close?.());

async function serve(replies: Reply[]) {
  const server = await fakeServer((_, index) => replies[index] ?? sse());
  close = server.close;
  const client = new ChorusClient({ baseUrl: server.url, token: "t" });
  return { client, received: server.received };
}

async function collect(events: AsyncIterable<StateEvent>, count: number) {
  const versions: number[] = [];
  for await (const e of events) {
    versions.push(e.version);
    if (versions.length === count) break;
  }
  return versions;
}

describe("subscribe's wire protocol", () => {
  it("reconnects at once from the version an `event: resume` names", async () => {
    const { client, received } = await serve([
      sse(event(1), event(2), 'event: resume\ndata: {"since":2}\n\n'),
      sse(": ping\n\n", event(3)),
    ]);
    const started = Date.now();
    expect(await collect(client.subscribe("w1", { since: 0 }), 3)).toEqual([1, 2, 3]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(received.map((r) => r.headers["last-event-id"])).toEqual(["0", "2"]);
    expect(received[0]?.headers.authorization).toBe("Bearer t");
    expect(received[0]?.headers.accept).toBe("text/event-stream");
  });

  it("drops a repeated version and resumes after the last one after a stream simply ends", async () => {
    const { client, received } = await serve([sse(event(1), event(2)), sse(event(2), event(3))]);
    const events = client.subscribe("w1", { since: 0, maxBackoffMs: 20 });
    expect(await collect(events, 3)).toEqual([1, 2, 3]);
    expect(received.map((r) => r.headers["last-event-id"])).toEqual(["0", "2"]);
  });

  it("retries a 503 with backoff, sending filters and branch in the query", async () => {
    const { client, received } = await serve([
      { status: 503, body: "busy" },
      { status: 502, body: "bad gateway" },
      sse(event(5)),
    ]);
    const events = client.subscribe("w1", {
      since: 4,
      branch: "main",
      paths: ["/a", "/b/*"],
      types: ["task-update"],
      maxBackoffMs: 20,
    });
    expect(await collect(events, 1)).toEqual([5]);
    expect(received).toHaveLength(3);
    const url = new URL(received[2]?.url ?? "", "http://x");
    expect(url.pathname).toBe("/api/workflows/w1/events");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      branch: "main",
      paths: "/a,/b/*",
      types: "task-update",
    });
  });

  it("throws AuthError when the server ends the stream for a revoked token", async () => {
    const { client } = await serve([
      sse(event(1), 'event: end\ndata: {"code":"UNAUTHENTICATED","detail":"revoked"}\n\n'),
    ]);
    const versions: number[] = [];
    const error = await (async () => {
      for await (const e of client.subscribe("w1", { since: 0 })) versions.push(e.version);
    })().catch((e: unknown) => e);
    expect(versions).toEqual([1]);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).detail).toBe("revoked");
  });

  it("reads the newest version first when no since is given, and starts after it", async () => {
    const { client, received } = await serve([
      { status: 200, body: { versions: [{ version: 7 }], nextCursor: null } },
      sse(event(8)),
    ]);
    expect(await collect(client.subscribe("w1", { branch: "b" }), 1)).toEqual([8]);
    expect(received[0]?.url).toBe("/api/workflows/w1/history?limit=1&branch=b");
    expect(received[1]?.headers["last-event-id"]).toBe("7");
  });
});

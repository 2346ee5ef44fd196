import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ChorusClient } from "../src/index.ts";
import { isConnectionReset } from "../src/retry.ts";
import { fakeServer, type Reply } from "./fake-server.ts";

// The server ends the connection under the first `resets` requests, answers the next
// `unavailable` ones with `busy`, then answers.
let resets = 0;
let unavailable = 0;
const OVERLOADED: Reply = {
  status: 503,
  headers: { "retry-after": "0" },
  body: { status: 503, code: "OVERLOADED", detail: "try again shortly", errors: [] },
};
let busy: Reply = OVERLOADED;
let answer: Reply = { status: 200, body: {} };
let server: Awaited<ReturnType<typeof fakeServer>>;
let client: ChorusClient;
beforeAll(async () => {
  server = await fakeServer((_, index) =>
    index < resets ? { status: 0, reset: true } : index < resets + unavailable ? busy : answer,
  );
  client = new ChorusClient({ baseUrl: server.url, token: "secret" });
});
beforeEach(() => {
  server.received.length = 0;
  resets = 0;
  unavailable = 0;
  busy = OVERLOADED;
  answer = { status: 200, body: {} };
});
afterAll(() => server.close());

const COMMITTED = { status: 201, body: { version: { version: 2 }, merged: [], resolved: [] } };

describe("idempotency keys", () => {
  it("sends a fresh Idempotency-Key with every commit, patch and workflow creation", async () => {
    answer = COMMITTED;
    await client.commit("w1", { state: { a: 1 } });
    await client.commit("w1", { state: { a: 1 } });
    await client.patch("w1", [{ op: "add", path: "/a", value: 1 }]);
    answer = { status: 201, body: { workflow: { id: "w2" } } };
    await client.createWorkflow({ name: "w" });
    const keys = server.received.map((request) => request.headers["idempotency-key"]);
    expect(keys).toHaveLength(4);
    for (const key of keys) expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(keys).size).toBe(4);
  });

  it("sends the caller's key instead when one is given", async () => {
    answer = COMMITTED;
    await client.patch("w1", [{ op: "add", path: "/a", value: 1 }], { idempotencyKey: "p-1" });
    expect(server.received[0]?.headers["idempotency-key"]).toBe("p-1");
    expect(server.received[0]?.url).toBe("/api/workflows/w1/state");
  });
});

describe("a connection that ends under the request", () => {
  it("sends a read again", async () => {
    resets = 2;
    answer = { status: 200, body: { workflow: { id: "w1" } } };
    await expect(client.getWorkflow("w1")).resolves.toMatchObject({ workflow: { id: "w1" } });
    expect(server.received.map((request) => request.url)).toEqual([
      "/api/workflows/w1",
      "/api/workflows/w1",
      "/api/workflows/w1",
    ]);
  });

  it("sends a commit again with the same Idempotency-Key, so it cannot commit twice", async () => {
    resets = 1;
    answer = COMMITTED;
    await client.commit("w1", { state: { a: 1 }, baseVersion: 1 });
    const [lost, resent] = server.received;
    expect(resent?.headers["idempotency-key"]).toBe(lost?.headers["idempotency-key"]);
    expect(resent?.body).toBe(lost?.body);
    expect(server.received).toHaveLength(2);
  });

  it("does not send a write without a key again", async () => {
    resets = 1;
    const error = await client.createToken({ name: "t", role: "reader" }).catch((e) => e);
    expect(isConnectionReset(error)).toBe(true);
    expect(server.received).toHaveLength(1);
  });

  it("gives up after two more tries", async () => {
    resets = 10;
    const error = await client.getWorkflow("w1").catch((e) => e);
    expect(isConnectionReset(error)).toBe(true);
    expect(server.received).toHaveLength(3);
  });

  it("does not send again what a refused connection never delivered", async () => {
    const closed = await fakeServer(() => answer);
    await closed.close();
    const nowhere = new ChorusClient({ baseUrl: closed.url });
    const error = await nowhere.getWorkflow("w1").catch((e) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(isConnectionReset(error)).toBe(false);
  });
});

describe("a 503 with Retry-After", () => {
  it("sends a read again after the wait, and a keyed write with the same key", async () => {
    unavailable = 2;
    answer = { status: 200, body: { workflow: { id: "w1" } } };
    await expect(client.getWorkflow("w1")).resolves.toMatchObject({ workflow: { id: "w1" } });
    expect(server.received).toHaveLength(3);

    server.received.length = 0;
    unavailable = 1;
    answer = COMMITTED;
    await client.patch("w1", [{ op: "add", path: "/a", value: 1 }]);
    const [refused, resent] = server.received;
    expect(server.received).toHaveLength(2);
    expect(resent?.headers["idempotency-key"]).toBe(refused?.headers["idempotency-key"]);
  });

  it("gives up after two more tries with the server's problem", async () => {
    unavailable = 10;
    const error = await client.getWorkflow("w1").catch((e) => e);
    expect(error).toMatchObject({ status: 503, code: "OVERLOADED" });
    expect(server.received).toHaveLength(3);
  });

  it("does not send a write without a key again", async () => {
    unavailable = 1;
    const error = await client.createToken({ name: "t", role: "reader" }).catch((e) => e);
    expect(error).toMatchObject({ status: 503 });
    expect(server.received).toHaveLength(1);
  });

  it("does not wait out a 503 without Retry-After, or one longer than 10 s", async () => {
    for (const headers of [{}, { "retry-after": "60" }] as Record<string, string>[]) {
      server.received.length = 0;
      busy = { ...OVERLOADED, headers };
      unavailable = 1;
      const error = await client.getWorkflow("w1").catch((e) => e);
      expect(error).toMatchObject({ status: 503 });
      expect(server.received).toHaveLength(1);
    }
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ChorusClient } from "../src/index.ts";
import { fakeServer, type Reply } from "./fake-server.ts";

const CHECKSUM = "a".repeat(64);
let reply: Reply = { status: 200, body: {} };
let server: Awaited<ReturnType<typeof fakeServer>>;
let client: ChorusClient;
beforeAll(async () => {
  server = await fakeServer(() => reply);
  client = new ChorusClient({ baseUrl: `${server.url}/`, token: "secret" });
});
beforeEach(() => {
  server.received.length = 0;
  reply = { status: 200, body: {} };
});
afterAll(() => server.close());

const last = () => {
  const request = server.received.at(-1);
  if (request === undefined) throw new Error("no request received");
  return request;
};

describe("requests", () => {
  it("sends the bearer token and encodes path segments", async () => {
    await client.getWorkflow("a b/c");
    expect(last().url).toBe("/api/workflows/a%20b%2Fc");
    expect(last().headers.authorization).toBe("Bearer secret");
  });

  it("sends no authorization header without a token", async () => {
    await new ChorusClient({ baseUrl: server.url }).health();
    expect(last().headers.authorization).toBeUndefined();
  });

  it("puts defined options in the query string and leaves undefined ones out", async () => {
    await client.history("w1", { limit: 5, branch: "main" });
    expect(last().url).toBe("/api/workflows/w1/history?limit=5&branch=main");
    await client.listWorkflows({ status: "running", tag: undefined });
    expect(last().url).toBe("/api/workflows?status=running");
  });

  it("asks for a context view with its budget, focus and version in the query", async () => {
    await client.context("w1", { budget: 500, focus: "/tasks/t1", version: 3 });
    expect(last().url).toBe("/api/workflows/w1/context?budget=500&focus=%2Ftasks%2Ft1&version=3");
  });

  it("commits JSON with If-Match quoted and the idempotency key as headers", async () => {
    reply = { status: 201, body: { version: { version: 2 }, merged: [], resolved: [] } };
    const result = await client.commit("w1", {
      state: { a: 1 },
      baseVersion: 1,
      changeDescription: "set a",
      ifMatch: CHECKSUM,
      idempotencyKey: "k-1",
    });
    expect(result.version.version).toBe(2);
    expect(last().method).toBe("POST");
    expect(last().headers["content-type"]).toBe("application/json");
    expect(last().headers["if-match"]).toBe(`"${CHECKSUM}"`);
    expect(last().headers["idempotency-key"]).toBe("k-1");
    expect(JSON.parse(last().body)).toEqual({
      state: { a: 1 },
      baseVersion: 1,
      changeDescription: "set a",
    });
  });

  it("sends a JSON Patch as the bare body with its base and target in the query", async () => {
    const patch = [{ op: "replace" as const, path: "/a", value: 2 }];
    await client.patch("w1", patch, { baseVersion: 3, branch: "dev", changeDescription: "a=2" });
    expect(last().method).toBe("PATCH");
    expect(last().headers["content-type"]).toBe("application/json-patch+json");
    expect(last().url).toBe(
      "/api/workflows/w1/state?baseVersion=3&branch=dev&changeDescription=a%3D2",
    );
    expect(JSON.parse(last().body)).toEqual(patch);
  });

  it("passes an etag through If-Match unchanged", async () => {
    await client.patch("w1", [], { ifMatch: `"${CHECKSUM}"` });
    expect(last().headers["if-match"]).toBe(`"${CHECKSUM}"`);
  });

  it("returns the state with the ETag header", async () => {
    reply = {
      status: 200,
      body: { version: 4, checksum: CHECKSUM, state: { a: 1 } },
      headers: { etag: `"${CHECKSUM}"` },
    };
    const read = await client.getState("w1", { version: 4, path: "/a" });
    expect(read).toEqual({
      version: 4,
      checksum: CHECKSUM,
      state: { a: 1 },
      etag: `"${CHECKSUM}"`,
    });
    expect(last().url).toBe("/api/workflows/w1/state?version=4&path=%2Fa");
  });

  it("answers null when If-None-Match still holds (304)", async () => {
    reply = { status: 304 };
    expect(await client.getState("w1", { ifNoneMatch: CHECKSUM })).toBeNull();
    expect(last().headers["if-none-match"]).toBe(`"${CHECKSUM}"`);
  });

  it("reads the Location of a new workflow", async () => {
    const body = { workflow: { id: "w9", name: "x" }, version: { version: 1 } };
    reply = { status: 201, body, headers: { location: "/api/workflows/w9" } };
    const created = await client.createWorkflow({ name: "x" });
    expect(created).toEqual({ ...body, location: "/api/workflows/w9" });
  });

  it("creates a workflow with the idempotency key as a header, not in the body", async () => {
    const body = { workflow: { id: "w9", name: "x" }, version: { version: 1 } };
    reply = { status: 201, body, headers: { location: "/api/workflows/w9" } };
    await client.createWorkflow({ name: "x", priority: "high", idempotencyKey: "create-1" });
    expect(last().headers["idempotency-key"]).toBe("create-1");
    expect(JSON.parse(last().body)).toEqual({ name: "x", priority: "high" });
    // Without one, a fresh key: sending it again after a lost connection is safe (issue 18).
    await client.createWorkflow({ name: "x" });
    expect(last().headers["idempotency-key"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("repeats a query parameter given as an array", async () => {
    reply = { status: 200, body: "", headers: { "content-type": "text/plain" } };
    await client.metrics({ workflowIds: ["w1", "w2"] });
    expect(last().url).toBe("/metrics?workflowId=w1&workflowId=w2");
  });

  it("returns the health report of a degraded stack (503) instead of throwing", async () => {
    const body = { status: "degraded", version: "0.1.0", components: {} };
    reply = { status: 503, body };
    expect(await client.health()).toEqual(body);
  });

  it("returns the Prometheus text of /metrics as a string", async () => {
    reply = { status: 200, body: "chorus_up 1\n", headers: { "content-type": "text/plain" } };
    expect(await client.metrics()).toBe("chorus_up 1\n");
  });

  it("revokes a token with DELETE and resolves on 204", async () => {
    reply = { status: 204 };
    await expect(client.revokeToken("tok 1")).resolves.toBeUndefined();
    expect(last()).toMatchObject({ method: "DELETE", url: "/api/tokens/tok%201" });
  });

  it("uses the fetch it is given", async () => {
    const urls: string[] = [];
    const custom = new ChorusClient({
      baseUrl: "https://chorus.example",
      fetch: async (input) => {
        urls.push(input);
        return Response.json({ status: "ok" });
      },
    });
    expect(await custom.health()).toEqual({ status: "ok" });
    expect(urls).toEqual(["https://chorus.example/health"]);
  });
});

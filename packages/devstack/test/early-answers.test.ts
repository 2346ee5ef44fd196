// Run with node's test runner: a keep-alive connection as a Node client holds it, which
// `fetch` in the workers' tests cannot show.
import assert from "node:assert/strict";
import { Agent, request } from "node:http";
import { after, before, describe, test } from "node:test";
import { type Stack, startStack } from "../src/index.ts";

interface Answer {
  status: number;
  contentType: string | undefined;
  /** whether the request went out on a connection an earlier request had used */
  reused: boolean;
  /** the local port of the connection, which tells connections apart */
  port: number | undefined;
}

/** One request through a keep-alive agent that holds a single connection. */
function send(
  stack: Stack,
  agent: Agent,
  call: { method: string; path: string; headers?: Record<string, string>; body?: Buffer },
): Promise<Answer> {
  const { hostname, port } = new URL(stack.url);
  return new Promise((resolve, reject) => {
    const sent = request(
      { host: hostname, port, method: call.method, path: call.path, headers: call.headers, agent },
      (response) => {
        response.resume();
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            contentType: response.headers["content-type"],
            reused: sent.reusedSocket,
            port: sent.socket?.localPort,
          }),
        );
      },
    );
    sent.on("error", reject);
    sent.end(call.body);
  });
}

describe("early answers on a keep-alive connection", () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ port: 0, persist: false, workerOutput: "ignore" });
  });
  after(() => stack.stop());

  const json = { "content-type": "application/json" };
  const bearer = () => ({ authorization: `Bearer ${stack.token}` });
  const twoMiB = Buffer.alloc(2 * 1024 * 1024, 0x20);
  const cases: Array<[number, string, () => Parameters<typeof send>[2]]> = [
    [
      401,
      "no token, a body",
      () => ({
        method: "POST",
        path: "/api/workflows",
        headers: json,
        body: Buffer.from('{"name":"x"}'),
      }),
    ],
    [
      404,
      "no such route, a body",
      () => ({
        method: "POST",
        path: "/api/nowhere",
        headers: { ...json, ...bearer() },
        body: Buffer.from('{"a":1}'),
      }),
    ],
    [
      405,
      "a method the path does not take, a body",
      () => ({
        method: "PUT",
        path: "/api/workflows",
        headers: { ...json, ...bearer() },
        body: Buffer.from('{"a":1}'),
      }),
    ],
    [
      413,
      "a declared 2 MiB body",
      () => ({
        method: "POST",
        path: "/api/workflows",
        headers: { ...json, ...bearer() },
        body: twoMiB,
      }),
    ],
    [
      413,
      "a chunked 2 MiB body",
      () => ({
        method: "POST",
        path: "/api/workflows",
        headers: { ...json, ...bearer(), "transfer-encoding": "chunked" },
        body: twoMiB,
      }),
    ],
    [
      415,
      "another media type",
      () => ({
        method: "POST",
        path: "/api/workflows",
        headers: { "content-type": "text/plain", ...bearer() },
        body: Buffer.from("hello"),
      }),
    ],
    [
      422,
      "a body of the wrong shape",
      () => ({
        method: "POST",
        path: "/api/workflows",
        headers: { ...json, ...bearer() },
        body: Buffer.from('{"name":5}'),
      }),
    ],
  ];

  for (const [status, what, call] of cases) {
    test(`${status} (${what}) leaves the connection usable for the next request`, async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const first = await send(stack, agent, { method: "GET", path: "/health" });
        for (let round = 0; round < 3; round++) {
          const early = await send(stack, agent, call());
          assert.equal(early.status, status);
          assert.equal(early.contentType, "application/problem+json");
          // The same connection, reused: it was not closed under the client.
          const next = await send(stack, agent, { method: "GET", path: "/health" });
          assert.equal(next.status, 200);
          assert.equal(next.reused, true);
          assert.equal(next.port, first.port);
        }
      } finally {
        agent.destroy();
      }
    });
  }
});

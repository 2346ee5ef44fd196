import { afterAll, beforeEach, describe, expect, it } from "vitest";
import {
  ChorusClient,
  ConflictError,
  PreconditionFailedError,
  ValidationError,
} from "../src/index.ts";
import { fakeServer, type Received, type Reply } from "./fake-server.ts";

// A fake state endpoint: GET answers the current version; POST answers from `writes` in turn.
let head = { version: 1, state: { count: 0 } as Record<string, unknown> };
let writes: number[] = [];
const commits: Array<Record<string, unknown>> = [];
const server = await fakeServer((request: Received): Reply => {
  if (request.method === "GET") {
    return {
      status: 200,
      body: { version: head.version, checksum: "c".repeat(64), state: head.state },
    };
  }
  commits.push(JSON.parse(request.body) as Record<string, unknown>);
  const status = writes.shift() ?? 201;
  if (status !== 201) {
    // Someone else committed meanwhile: the next read sees a newer head.
    head = { version: head.version + 1, state: { ...head.state, other: head.version } };
    return { status, body: { type: "about:blank", title: "no", status, conflictId: "c1" } };
  }
  return {
    status: 201,
    body: { version: { version: head.version + 1 }, merged: [], resolved: [] },
  };
});
const client = new ChorusClient({ baseUrl: server.url, token: "t" });
afterAll(() => server.close());
beforeEach(() => {
  head = { version: 1, state: { count: 0 } };
  writes = [];
  commits.length = 0;
  server.received.length = 0;
});

describe("update", () => {
  it("commits what the function returns, based on the version it read", async () => {
    const result = await client.update<{ count: number }>("w1", (state) => ({
      count: state.count + 1,
    }));
    expect(result.version.version).toBe(2);
    expect(commits).toEqual([{ state: { count: 1 }, baseVersion: 1 }]);
  });

  it("commits a state the function changed in place", async () => {
    await client.update<{ count: number }>("w1", (state) => {
      state.count = 7;
      return undefined;
    });
    expect(commits[0]?.state).toEqual({ count: 7 });
  });

  it("reads again and re-applies the function after a 409 and a 412", async () => {
    writes = [409, 412];
    const seen: number[] = [];
    const result = await client.update("w1", (state, current) => {
      seen.push(current.version);
      return { ...(state as object), mine: true };
    });
    expect(seen).toEqual([1, 2, 3]);
    expect(commits.map((c) => c.baseVersion)).toEqual([1, 2, 3]);
    expect(commits.at(-1)?.state).toEqual({ count: 0, other: 2, mine: true });
    expect(result.version.version).toBe(4);
  });

  it("gives up with the last error once the retries are spent", async () => {
    writes = [409, 409, 409];
    await expect(client.update("w1", (s) => s, { retries: 2 })).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(commits).toHaveLength(3);
  });

  it("gives up on a 412 the same way", async () => {
    writes = [412];
    await expect(client.update("w1", (s) => s, { retries: 0 })).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
  });

  it("does not retry an error that a retry cannot fix", async () => {
    writes = [422];
    await expect(client.update("w1", (s) => s)).rejects.toBeInstanceOf(ValidationError);
    expect(commits).toHaveLength(1);
  });

  it("passes the branch and description on", async () => {
    await client.update("w1", (s) => s, { branch: "dev", changeDescription: "tick" });
    expect(server.received[0]?.url).toBe("/api/workflows/w1/state?branch=dev");
    expect(commits[0]).toMatchObject({ branch: "dev", changeDescription: "tick" });
  });
});

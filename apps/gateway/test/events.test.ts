import { env } from "cloudflare:workers";
import { unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { api, createWorkflow, expectStatus, type Problem, sampleState } from "./helpers.ts";
import { commitMany, events, openSse, range, verifyChain } from "./streams.ts";

describe("GET /api/workflows/{id}/events", () => {
  it("streams live commits as SSE, each verifiable against its parent", async () => {
    const { id } = await createWorkflow();
    const stream = await openSse(id);
    expect(stream.response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(stream.response.headers.get("cache-control")).toBe("no-store");
    await commitMany(id, 5, 1);
    await stream.untilVersion(6);
    expect(stream.messages.map((m) => [m.id, m.event])).toEqual(
      range(2, 6).map((v) => [String(v), "version"]),
    );
    await verifyChain(stream.events, new Map([[1, sampleState() as never]]));
    expect(stream.events[0]).toMatchObject({
      workflowId: id,
      version: 2,
      branch: "main",
      parents: [1],
      author: "agent",
      changes: [{ type: "metadata-update", path: "/metadata/counter", oldValue: 0, newValue: 1 }],
    });
    await stream.cancel();
  });

  it("resumes a stream cut off mid-replay from Last-Event-ID, which beats since, with nothing lost or repeated", async () => {
    const { id } = await createWorkflow();
    await commitMany(id, 149);
    const first = await openSse(id, "?since=0");
    await first.until(() => first.events.length >= 60, "60 events");
    await first.cancel();
    const last = Number(first.messages.at(-1)?.id);
    await commitMany(id, 10);
    const second = await openSse(id, "?since=3", { "last-event-id": String(last) });
    await second.untilVersion(160);
    const versions = [...first.events, ...second.events].map((event) => event.version);
    expect(versions).toEqual(range(1, 160));
    await verifyChain([...first.events, ...second.events], new Map());
    await second.cancel();
  });

  it("sends a ping comment while nothing happens", async () => {
    const { id } = await createWorkflow();
    const stream = await openSse(id);
    // STREAM_PING_SECONDS is 1 in the tests (15 by default).
    await stream.until(() => stream.comments.includes("ping"), "a ping", 5_000);
    expect(stream.messages).toEqual([]);
    await stream.cancel();
  });

  it("sends one branch's versions, or only the changes at the paths and of the types asked for", async () => {
    const { id } = await createWorkflow();
    unwrap(await env.STATE.createBranch({ workflowId: id, name: "feature", author: "a" }));
    const onFeature = await openSse(id, "?branch=feature");
    const statuses = await openSse(id, "?paths=/tasks/*/status,/status");
    const byType = await openSse(id, "?types=workflow-status,agent-status");
    const commit = async (patch: unknown[], branch = "main") =>
      unwrap(await env.STATE.commit({ workflowId: id, patch, author: "a", branch }));
    await commit([{ op: "replace", path: "/metadata/counter", value: 1 }]); // 2: no one's
    await commit([{ op: "replace", path: "/tasks/t1/status", value: "claimed" }], "feature"); // 3
    await commit([{ op: "replace", path: "/status", value: "paused" }]); // 4
    await onFeature.untilVersion(3);
    await statuses.untilVersion(4);
    await byType.untilVersion(4);
    expect(onFeature.events.map((e) => [e.version, e.branch])).toEqual([[3, "feature"]]);
    expect(statuses.events.map((e) => [e.version, e.patch.map((op) => op.path)])).toEqual([
      [3, ["/tasks/t1/status"]],
      [4, ["/status"]],
    ]);
    expect(byType.events.map((e) => [e.version, e.changes.map((c) => c.type)])).toEqual([
      [4, ["workflow-status"]],
    ]);
    for (const stream of [onFeature, statuses, byType]) await stream.cancel();
  });

  it("refuses a bad since, Last-Event-ID, branch, paths or types before the stream opens", async () => {
    const { id } = await createWorkflow();
    const refused = async (query: string, status: number, headers = {}) => {
      const response = await events(id, query, headers);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      return (await expectStatus<Problem>(response, status)).errors.map((error) => error.path);
    };
    expect(await refused("?since=-1", 422)).toEqual(["/query/since"]);
    expect(await refused("?since=1.5", 422)).toEqual(["/query/since"]);
    expect(await refused("?since=abc", 422)).toEqual(["/query/since"]);
    expect(await refused("?since=2", 404)).toEqual(["/query/since"]);
    expect(await refused("", 422, { "last-event-id": "x" })).toEqual(["/headers/last-event-id"]);
    expect(await refused("?since=0", 404, { "last-event-id": "9" })).toEqual([
      "/headers/last-event-id",
    ]);
    expect(await refused("?branch=nope", 404)).toEqual(["/query/branch"]);
    expect(new Set(await refused("?branch=..", 422))).toEqual(new Set(["/query/branch"]));
    expect(await refused("?paths=tasks", 422)).toEqual(["/query/paths"]);
    expect(await refused("?types=tasks", 422)).toEqual(["/query/types"]);
    const unknown = await expectStatus<Problem>(events("wf_never_created"), 404);
    expect(unknown.errors.map((error) => error.path)).toEqual(["/params/id"]);
  });

  it("is documented in /openapi.json as text/event-stream of StateEvents, beside the WebSocket route", async () => {
    type Operation = {
      responses: Record<string, { content?: Record<string, { schema: { properties?: object } }> }>;
    };
    const doc = await expectStatus<{ paths: Record<string, Record<string, Operation>> }>(
      api("/openapi.json"),
      200,
    );
    const sse = doc.paths["/api/workflows/{id}/events"]?.get;
    const schema = sse?.responses["200"]?.content?.["text/event-stream"]?.schema;
    expect(Object.keys(schema?.properties ?? {}).sort()).toEqual(
      [
        "author",
        "changeDescription",
        "changes",
        "checksum",
        "parents",
        "patch",
        "branch",
        "timestamp",
        "version",
        "workflowId",
      ].sort(),
    );
    const ws = doc.paths["/api/workflows/{id}/subscribe"]?.get;
    expect(Object.keys(ws?.responses ?? {})).toEqual(
      expect.arrayContaining(["101", "401", "403", "404", "422", "426"]),
    );
    expect(doc.paths["/api/workflows/{id}/tickets"]?.post?.responses["201"]).toBeDefined();
  });

  it("lets browsers send Last-Event-ID across origins", async () => {
    const response = await api("/api/workflows/x/events", {
      method: "OPTIONS",
      headers: { origin: "https://app.example", "access-control-request-headers": "last-event-id" },
    });
    expect(response.headers.get("access-control-allow-headers")).toContain("Last-Event-ID");
  });
});

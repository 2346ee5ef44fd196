import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../src/index.ts";
import { ADMIN, api, createWorkflow, expectStatus } from "./helpers.ts";

type Document = { paths: Record<string, Record<string, { operationId: string }>> };

/**
 * Sends a request to the gateway as deployed, with wrangler.jsonc's BENCH_FLOORS ("0"); the
 * tests' own bindings turn the floors on (vitest.config.ts).
 */
function floorsOff(path: string, init: { method?: string; token?: string } = {}) {
  const headers = init.token === undefined ? undefined : { authorization: `Bearer ${init.token}` };
  const request = new Request(`https://chorus.test${path}`, { method: init.method, headers });
  const deployed = { ...env, BENCH_FLOORS: "0" } as const;
  return worker.fetch(
    request as Request<unknown, IncomingRequestCfProperties>,
    deployed,
    createExecutionContext(),
  );
}

const FLOOR_OPERATIONS = ["noop", "noopWrite"];

describe("the benchmark floors where BENCH_FLOORS is not 1", () => {
  it("answers GET and POST …/noop as it answers a route that does not exist", async () => {
    const { id } = await createWorkflow();
    for (const method of ["GET", "POST"]) {
      for (const token of [ADMIN, undefined]) {
        const floor = await floorsOff(`/api/workflows/${id}/noop`, { method, token });
        const none = await floorsOff(`/api/workflows/${id}/nope`, { method, token });
        expect(floor.status, `${method} ${token ?? "no token"}`).toBe(404);
        expect(floor.headers.get("content-type")).toBe(none.headers.get("content-type"));
        const problem = await floor.json();
        expect(problem).toEqual({
          ...(await none.json<Record<string, unknown>>()),
          detail: `no route matches ${method} /api/workflows/${id}/noop`,
        });
        expect(problem).toMatchObject({ status: 404, code: "ROUTE_NOT_FOUND" });
      }
    }
  });

  it("answers other methods on …/noop 404, not 405: the path is not served at all", async () => {
    const response = await floorsOff("/api/workflows/x/noop", { method: "DELETE", token: ADMIN });
    expect(response.status).toBe(404);
    expect(response.headers.get("allow")).toBeNull();
    await response.body?.cancel();
  });

  it("leaves them out of /openapi.json, and nothing else", async () => {
    const off = await expectStatus<Document>(floorsOff("/openapi.json"), 200);
    const on = await expectStatus<Document>(api("/openapi.json"), 200);
    expect(off.paths["/api/workflows/{id}/noop"]).toBeUndefined();
    expect(JSON.stringify(off)).not.toMatch(/noop|BENCH_FLOORS/i);
    const operations = (doc: Document) =>
      Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(operations(on).filter((op) => !FLOOR_OPERATIONS.includes(op))).toEqual(operations(off));
  });

  it("serves them where BENCH_FLOORS is 1, in the same isolate, before and after", async () => {
    const { id } = await createWorkflow();
    const path = `/api/workflows/${id}/noop`;
    expect(await expectStatus(api(path, { token: ADMIN }), 200)).toEqual({ ok: true });
    await expectStatus(floorsOff(path, { token: ADMIN }), 404);
    expect(await expectStatus(api(path, { method: "POST", token: ADMIN }), 200)).toEqual({
      ok: true,
    });
    const on = await expectStatus<Document>(api("/openapi.json"), 200);
    expect(Object.keys(on.paths["/api/workflows/{id}/noop"] ?? {}).sort()).toEqual(["get", "post"]);
  });
});

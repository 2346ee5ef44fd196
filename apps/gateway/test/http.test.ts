import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { withCors } from "../src/cors.ts";
import type { Env } from "../src/env.ts";
import { ADMIN, api, createWorkflow, expectStatus, fetchWith, sampleState } from "./helpers.ts";

const LIMIT = 1024 * 1024;

/** Sends a request to the worker with some bindings changed. */
function withEnv(overrides: Record<string, unknown>, path: string, init: RequestInit = {}) {
  return fetchWith(new Request(`https://chorus.test${path}`, init), { ...env, ...overrides });
}

/** POSTs a raw body, declared as JSON, to create a workflow. */
function postRaw(body: BodyInit): Promise<Response> {
  return api("/api/workflows", {
    method: "POST",
    token: ADMIN,
    body,
    contentType: "application/json",
  });
}

describe("HTTP conventions", () => {
  it("answers an unknown route 404 as problem+json", async () => {
    const response = await api("/api/nope", { token: ADMIN });
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toEqual({
      type: "urn:chorus:problem:route-not-found",
      title: "Not Found",
      status: 404,
      detail: "no route matches GET /api/nope",
      code: "ROUTE_NOT_FOUND",
      errors: [],
    });
  });

  it("answers a known path with another method 405 and Allow", async () => {
    const response = await api("/api/workflows/x/state", { method: "DELETE", token: ADMIN });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, POST, PATCH, OPTIONS");
    await response.body?.cancel();
  });

  it("refuses a body that is not application/json with 415", async () => {
    const { id } = await createWorkflow();
    const problem = await expectStatus(
      api(`/api/workflows/${id}/state`, {
        method: "POST",
        token: ADMIN,
        body: JSON.stringify({ state: {} }),
        contentType: "text/plain",
      }),
      415,
    );
    expect(problem.code).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("accepts application/json with a charset parameter", async () => {
    const response = await api("/api/workflows", {
      method: "POST",
      token: ADMIN,
      json: { name: "Charset" },
      contentType: "application/json; charset=utf-8",
    });
    expect(response.status).toBe(201);
    await response.body?.cancel();
  });

  it("refuses a JSON Patch sent as application/json with 415 and Accept-Patch", async () => {
    const { id } = await createWorkflow();
    const response = await api(`/api/workflows/${id}/state`, {
      method: "PATCH",
      token: ADMIN,
      json: [{ op: "replace", path: "/name", value: "x" }],
    });
    expect(response.status).toBe(415);
    expect(response.headers.get("accept-patch")).toBe("application/json-patch+json");
    await response.body?.cancel();
  });

  it("refuses a body over MAX_BODY_BYTES by its Content-Length with 413", async () => {
    const body = JSON.stringify({ name: "x".repeat(LIMIT) });
    const problem = await expectStatus(postRaw(body), 413);
    expect(problem.code).toBe("TOO_LARGE");
  });

  it("refuses a streamed body over MAX_BODY_BYTES, whatever it declares, with 413", async () => {
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > LIMIT) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const response = await postRaw(stream);
    expect(response.status).toBe(413);
    await response.body?.cancel();
  });

  it("refuses a body over MAX_BODY_BYTES that declares a smaller Content-Length, with 413", async () => {
    const chunk = new TextEncoder().encode(`{"name":"${"x".repeat(64 * 1024)}"}`);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 2 * LIMIT) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const response = await api("/api/workflows", {
      method: "POST",
      token: ADMIN,
      body: stream,
      contentType: "application/json",
      headers: { "content-length": "100" },
    });
    expect(response.status).toBe(413);
    await response.body?.cancel();
  });

  it("honours a lower MAX_BODY_BYTES", async () => {
    const response = await withEnv({ MAX_BODY_BYTES: "10" }, "/api/workflows", {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "eleven+" }),
    });
    expect(response.status).toBe(413);
  });

  it.each([
    ["truncated JSON", '{"name": '],
    ["trailing garbage", '{"name": "x"} x'],
    ["a bare word", "hello"],
  ])("refuses %s with 400", async (_, body) => {
    const problem = await expectStatus(postRaw(body), 400);
    expect(problem.code).toBe("INVALID_JSON");
  });

  it("refuses bytes that are not UTF-8 with 400", async () => {
    const body = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]);
    await expectStatus(postRaw(body), 400);
  });

  it("refuses a missing body where one is required with 422", async () => {
    const problem = await expectStatus(
      api("/api/workflows", { method: "POST", token: ADMIN }),
      422,
    );
    expect(problem.detail).toBe("the request needs a body");
  });

  it("refuses a JSON null where the body is optional with 422, and writes nothing", async () => {
    const { id } = await createWorkflow();
    const problem = await expectStatus(
      api(`/api/workflows/${id}/snapshots`, {
        method: "POST",
        token: ADMIN,
        body: "null",
        contentType: "application/json",
      }),
      422,
    );
    expect(problem.errors).toEqual([expect.objectContaining({ path: "" })]);
    const list = await expectStatus<{ snapshots: unknown[] }>(
      api(`/api/workflows/${id}/snapshots`, { token: ADMIN }),
      200,
    );
    expect(list.snapshots).toHaveLength(0);
  });

  it("asks for a bearer token with WWW-Authenticate", async () => {
    const response = await api("/api/workflows");
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="chorus"');
    await response.body?.cancel();
  });

  it("never answers a client mistake with 500 or writes it", async () => {
    const { id } = await createWorkflow();
    const mistakes = [
      api(`/api/workflows/${id}/state`, {
        method: "POST",
        token: ADMIN,
        json: { state: ["not", "an", "object"] },
      }),
      api(`/api/workflows/${id}/state`, {
        method: "POST",
        token: ADMIN,
        json: { state: sampleState(), baseVersion: 99 },
      }),
      api(`/api/workflows/${id}/state`, { method: "POST", token: ADMIN, json: { nope: 1 } }),
      api(`/api/workflows/${id}/state`, {
        method: "POST",
        token: ADMIN,
        body: "{",
        contentType: "application/json",
      }),
    ];
    for (const response of await Promise.all(mistakes)) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      await response.body?.cancel();
    }
    const history = await expectStatus<{ versions: unknown[] }>(
      api(`/api/workflows/${id}/history`, { token: ADMIN }),
      200,
    );
    expect(history.versions).toHaveLength(1);
  });
});

describe("the admin token", () => {
  it("is recognized even when it looks like an issued token", async () => {
    const admin = "chorus_this-admin-token-has-the-issued-prefix";
    const headers = { authorization: `Bearer ${admin}` };
    const response = await withEnv({ ADMIN_TOKEN: admin }, "/api/tokens", { headers });
    expect(response.status).toBe(200);
    const other = await withEnv({ ADMIN_TOKEN: admin }, "/api/tokens", {
      headers: { authorization: `Bearer ${admin}x` },
    });
    expect(other.status).toBe(401);
  });
});

describe("faults of Chorus", () => {
  const read = (STATE: unknown) =>
    withEnv({ STATE }, "/api/workflows/wf_1/state", {
      headers: { authorization: `Bearer ${ADMIN}` },
    });

  it("answers an unexpected exception 500 without its message", async () => {
    const response = await read({
      getStateText: () => Promise.reject(new Error("db password is hunter2")),
    });
    expect(response.status).toBe(500);
    const problem = await response.json<{ code: string; detail: string }>();
    expect(problem.code).toBe("INTERNAL");
    expect(JSON.stringify(problem)).not.toContain("hunter2");
  });

  it("answers a callee's INTERNAL result 500 without its message", async () => {
    const error = { code: "INTERNAL", message: "stack: at secret.ts:1" };
    const response = await read({ getStateText: () => Promise.resolve({ ok: false, error }) });
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain("secret.ts");
  });

  it("answers a callee's INTEGRITY_FAILED result 500 with its message", async () => {
    const error = { code: "INTEGRITY_FAILED", message: "version 3 does not match its checksum" };
    const response = await read({ getStateText: () => Promise.resolve({ ok: false, error }) });
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({
      code: "INTEGRITY_FAILED",
      detail: error.message,
    });
  });
});

describe("CORS", () => {
  it("answers a preflight without a token", async () => {
    const response = await api("/api/workflows", {
      method: "OPTIONS",
      headers: { origin: "https://app.example", "access-control-request-method": "POST" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-methods")).toContain("PATCH");
    expect(response.headers.get("access-control-allow-headers")).toContain("Idempotency-Key");
  });

  it("exposes ETag and Location on responses", async () => {
    const response = await api("/health", { headers: { origin: "https://app.example" } });
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-expose-headers")).toContain("ETag");
    await response.body?.cancel();
  });

  it("adds the headers to a response whose headers cannot change, by copying it", async () => {
    const redirect = Response.redirect("https://example.com/", 302);
    expect(() => redirect.headers.set("x", "y")).toThrow();
    const request = new Request("https://gateway.example/x", { headers: { origin: "https://o" } });
    const answered = withCors(redirect, request, { ...env, CORS_ORIGINS: "*" } as Env);
    expect(answered.status).toBe(302);
    expect(answered.headers.get("location")).toBe("https://example.com/");
    expect(answered.headers.get("access-control-allow-origin")).toBe("*");
    const own = new Response("{}");
    expect(withCors(own, request, { ...env, CORS_ORIGINS: "*" } as Env)).toBe(own);
  });

  it("allows only the configured origins", async () => {
    const origins = { CORS_ORIGINS: "https://a.example, https://b.example" };
    const allowed = await withEnv(origins, "/health", { headers: { origin: "https://b.example" } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://b.example");
    expect(allowed.headers.get("vary")).toContain("Origin");
    const other = await withEnv(origins, "/health", {
      headers: { origin: "https://evil.example" },
    });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("production without ADMIN_TOKEN", () => {
  it.each(["/health", "/openapi.json", "/api/workflows", "/nope"])(
    "answers %s with 503 and says why",
    async (path) => {
      const response = await withEnv({ ENVIRONMENT: "production", ADMIN_TOKEN: undefined }, path);
      expect(response.status).toBe(503);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      const problem = await response.json<{ code: string; detail: string }>();
      expect(problem.code).toBe("NOT_CONFIGURED");
      expect(problem.detail).toContain("ADMIN_TOKEN");
    },
  );

  it("serves once the secret is set", async () => {
    const response = await withEnv({ ENVIRONMENT: "production" }, "/openapi.json");
    expect(response.status).toBe(200);
    await response.body?.cancel();
  });
});

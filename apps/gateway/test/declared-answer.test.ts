import { describe, expect, it } from "vitest";
import { expectDeclaredAnswer } from "./declared-answer.ts";

const request = (path: string, method = "GET") =>
  new Request(`https://chorus.test${path}`, { method });
const answer = (body: unknown, status = 200, type = "application/json") =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": type } });

const up = { status: "up", latencyMs: 1 };
const health = {
  status: "ok",
  version: "0.1.0",
  components: { gateway: up, stateManager: up, coordinator: up },
};
const notFound = {
  type: "urn:chorus:problem:not-found",
  title: "Not Found",
  status: 404,
  detail: "workflow wf_1 does not exist",
  code: "NOT_FOUND",
  errors: [{ path: "/params/id", message: "workflow wf_1 does not exist" }],
};

describe("expectDeclaredAnswer", () => {
  it("passes an answer that matches what its route declares", async () => {
    await expectDeclaredAnswer(request("/health"), answer(health));
    await expectDeclaredAnswer(
      request("/api/workflows/wf_1/state"),
      answer(notFound, 404, "application/problem+json"),
    );
  });

  it("fails a body with a member its schema does not declare, or without one it does", async () => {
    await expect(
      expectDeclaredAnswer(request("/health"), answer({ ...health, uptime: 3 })),
    ).rejects.toThrow("members the schema does not declare");
    const { version: _, ...versionless } = health;
    await expect(expectDeclaredAnswer(request("/health"), answer(versionless))).rejects.toThrow(
      "does not match its schema",
    );
  });

  it("fails a status or a media type the route does not declare", async () => {
    await expect(expectDeclaredAnswer(request("/health"), answer(health, 202))).rejects.toThrow(
      "a status the route does not declare",
    );
    await expect(
      expectDeclaredAnswer(request("/health"), answer(health, 200, "text/plain")),
    ).rejects.toThrow("the declared media type");
  });

  it("fails an error that is no problem, or one /openapi.json does not list", async () => {
    await expect(
      expectDeclaredAnswer(request("/api/nope"), answer({ error: "no" }, 404)),
    ).rejects.toThrow();
    await expect(
      expectDeclaredAnswer(request("/health"), answer(notFound, 404, "application/problem+json")),
    ).rejects.toThrow("not in /openapi.json");
    await expect(
      expectDeclaredAnswer(
        request("/api/workflows/wf_1/state"),
        answer({ ...notFound, status: 409 }, 404, "application/problem+json"),
      ),
    ).rejects.toThrow("the problem's status");
  });
});

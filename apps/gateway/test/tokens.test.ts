import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { Problem } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { ADMIN, api, createWorkflow, expectStatus, issueToken, sampleState } from "./helpers.ts";

describe("API tokens", () => {
  it("issues a token once and lists it without its secret", async () => {
    const issued = await issueToken("writer", undefined, "ci-bot");
    expect(issued.token).toMatch(/^chorus_[A-Za-z0-9_-]{43}$/);
    expect(issued.id).toMatch(/^tok_[0-9a-f]{17}$/);
    const list = await expectStatus<{ tokens: Array<Record<string, unknown>> }>(
      api("/api/tokens", { token: ADMIN }),
      200,
    );
    const listed = list.tokens.find((token) => token.id === issued.id);
    expect(listed).toEqual({
      id: issued.id,
      name: "ci-bot",
      role: "writer",
      workflowIds: null,
      createdAt: expect.any(Number),
    });
    expect(JSON.stringify(list)).not.toContain(issued.token);
  });

  it("stores only the SHA-256 of the secret, in the shard its hash names", async () => {
    const issued = await issueToken("reader");
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(issued.token));
    const hash = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
    expect(issued.id.slice(4, 5)).toBe(hash.slice(0, 1));
    const stub = env.TOKENS.get(env.TOKENS.idFromName(`tokens-${hash.slice(0, 1)}`));
    const rows = await runInDurableObject(stub, (_, state) =>
      state.storage.sql.exec("SELECT * FROM tokens").toArray(),
    );
    const row = rows.find((r) => r.id === issued.id);
    expect(row?.hash).toBe(hash);
    expect(JSON.stringify(rows)).not.toContain(issued.token);
  });

  it("authors commits as token:<name>", async () => {
    const { id } = await createWorkflow();
    const writer = await issueToken("writer", undefined, "planner-1");
    const result = await expectStatus<{ version: { author: string } }>(
      api(`/api/workflows/${id}/state`, {
        method: "POST",
        token: writer.token,
        json: { state: sampleState() },
      }),
      201,
    );
    expect(result.version.author).toBe("token:planner-1");
  });

  it("revokes a token at once", async () => {
    const issued = await issueToken("reader");
    await expectStatus(api("/api/workflows", { token: issued.token }), 200);
    const revoked = await api(`/api/tokens/${issued.id}`, { method: "DELETE", token: ADMIN });
    expect(revoked.status).toBe(204);
    const problem = await expectStatus<Problem>(
      api("/api/workflows", { token: issued.token }),
      401,
    );
    expect(problem.code).toBe("UNAUTHENTICATED");
    await expectStatus(api(`/api/tokens/${issued.id}`, { method: "DELETE", token: ADMIN }), 404);
  });

  it("limits a scoped token to its workflows", async () => {
    const mine = await createWorkflow();
    const other = await createWorkflow();
    const scoped = await issueToken("writer", [mine.id]);
    await expectStatus(api(`/api/workflows/${mine.id}/state`, { token: scoped.token }), 200);
    await expectStatus(
      api(`/api/workflows/${mine.id}/state`, {
        method: "POST",
        token: scoped.token,
        json: { state: sampleState() },
      }),
      201,
    );
    await expectStatus(api(`/api/workflows/${other.id}/state`, { token: scoped.token }), 403);
    await expectStatus(api("/api/workflows", { token: scoped.token }), 403);
  });

  it("accepts the scheme in any case and refuses near misses of the admin token", async () => {
    await expectStatus(api("/api/tokens", { headers: { authorization: `bearer ${ADMIN}` } }), 200);
    for (const near of [`${ADMIN}x`, ADMIN.slice(0, -1), ADMIN.toUpperCase()]) {
      await expectStatus(api("/api/tokens", { token: near }), 401);
    }
    await expectStatus(api("/api/tokens", { headers: { authorization: ADMIN } }), 401);
  });

  it.each([
    [{ role: "reader" }, "/name"],
    [{ name: "has space", role: "reader" }, "/name"],
    [{ name: "x", role: "root" }, "/role"],
    [{ name: "x", role: "reader", workflowIds: [] }, "/workflowIds"],
    [{ name: "x", role: "reader", secret: "mine" }, "/secret"],
  ])("refuses %j with 422 naming the field", async (json, path) => {
    const problem = await expectStatus<Problem>(
      api("/api/tokens", { method: "POST", token: ADMIN, json }),
      422,
    );
    expect(problem.errors[0]?.path).toBe(path);
  });

  it("refuses a malformed token id with 422 and an unknown one with 404", async () => {
    const bad = await expectStatus<Problem>(
      api("/api/tokens/nope", { method: "DELETE", token: ADMIN }),
      422,
    );
    expect(bad.errors[0]?.path).toBe("/params/tokenId");
    await expectStatus(
      api(`/api/tokens/tok_${"0".repeat(17)}`, { method: "DELETE", token: ADMIN }),
      404,
    );
  });
});

import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN, api, createWorkflow, expectStatus, fetchWith, registerAgent } from "./helpers.ts";

describe("GET /health", () => {
  it("pings every component through its binding, without a token", async () => {
    const health = await expectStatus<Record<string, unknown>>(api("/health"), 200);
    expect(health).toMatchObject({
      status: "ok",
      version: expect.any(String),
      components: {
        gateway: { status: "up" },
        stateManager: { status: "up", service: "state-manager", latencyMs: expect.any(Number) },
        coordinator: { status: "up", service: "coordinator" },
      },
    });
    expect(JSON.stringify(health)).not.toContain(ADMIN);
  });

  it("answers 503 when a component is down", async () => {
    const down = {
      ...env,
      COORDINATOR: { ping: () => Promise.reject(new Error("connection refused")) },
    };
    const response = await fetchWith(new Request("https://chorus.test/health"), down);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      status: "degraded",
      components: {
        coordinator: { status: "down", error: "connection refused" },
        stateManager: { status: "up" },
      },
    });
  });
});

describe("GET /metrics", () => {
  it("serves Prometheus text to the admin", async () => {
    await api("/health");
    const response = await api("/metrics", { token: ADMIN });
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await response.text();
    expect(text).toContain("# TYPE chorus_up gauge");
    expect(text).toContain('chorus_up{component="stateManager"} 1');
    expect(text).toMatch(
      /chorus_gateway_requests_total\{method="GET",route="\/health",status="200"\} \d+/,
    );
  });

  it("says what the coordinator's registries hold, and counts what is added", async () => {
    const gauge = (text: string, name: string, registry: string) =>
      Number(new RegExp(`^${name}\\{registry="${registry}"\\} (\\d+)$`, "m").exec(text)?.[1]);
    const before = await expectStatus<string>(api("/metrics", { token: ADMIN }), 200);
    expect(before).toContain("# TYPE chorus_coordinator_storage_bytes gauge");
    // apps/coordinator/wrangler.jsonc: REGISTRY_SHARDS and AGENT_SHARDS
    expect(gauge(before, "chorus_coordinator_shards", "workflows")).toBe(16);
    expect(gauge(before, "chorus_coordinator_shards", "agents")).toBe(16);
    await createWorkflow();
    await registerAgent();
    await registerAgent();
    const after = await expectStatus<string>(api("/metrics", { token: ADMIN }), 200);
    for (const [registry, added] of [
      ["workflows", 1],
      ["agents", 2],
    ] as const) {
      expect(gauge(after, "chorus_coordinator_records", registry)).toBe(
        gauge(before, "chorus_coordinator_records", registry) + added,
      );
      expect(gauge(after, "chorus_coordinator_storage_bytes", registry)).toBeGreaterThan(0);
    }
  });

  it("answers without the coordinator's gauges when it cannot say", async () => {
    const silent = {
      ...env,
      COORDINATOR: {
        ping: () => Promise.resolve({ ok: true, service: "coordinator" }),
        storage: () => Promise.reject(new Error("object reset")),
      },
    };
    const request = new Request("https://chorus.test/metrics", {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    const response = await fetchWith(request, silent);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('chorus_up{component="coordinator"} 1');
    expect(text).not.toContain("chorus_coordinator_");
  });

  it("adds the counters of the workflows asked for", async () => {
    const { id } = await createWorkflow();
    const text = await expectStatus<string>(
      api(`/metrics?workflowId=${id}`, { token: ADMIN }),
      200,
    );
    expect(text).toContain(`chorus_workflow_versions{workflow="${id}"} 1`);
    expect(text).toContain(`chorus_workflow_retrieval_p99`);
  });

  it("publishes concurrent commits per workflow and in total, with the rate users mean", async () => {
    const ids = [(await createWorkflow()).id, (await createWorkflow()).id];
    // On each workflow: one commit from the current head (a fast-forward, not concurrent),
    // then one from the same, now stale, base that touches another field (merged cleanly),
    // then one from it that sets the first field to another value (queued).
    for (const id of ids) {
      const commit = (key: string, value: number) =>
        api(`/api/workflows/${id}/state?baseVersion=1`, {
          method: "PATCH",
          token: ADMIN,
          contentType: "application/json-patch+json",
          json: [{ op: "add", path: `/metadata/${key}`, value }],
        });
      expect((await commit("a", 1)).status).toBe(201);
      expect((await commit("b", 1)).status).toBe(201);
      expect((await commit("a", 2)).status).toBe(409);
    }
    const query = ids.map((id) => `workflowId=${id}`).join("&");
    const text = await expectStatus<string>(api(`/metrics?${query}`, { token: ADMIN }), 200);
    for (const id of ids) {
      expect(text).toContain(`chorus_workflow_concurrent_commits{workflow="${id}"} 2`);
      expect(text).toContain(`chorus_workflow_concurrent_merged{workflow="${id}"} 1`);
      expect(text).toContain(`chorus_workflow_concurrent_queued{workflow="${id}"} 1`);
      expect(text).toContain(`chorus_workflow_auto_resolution_rate{workflow="${id}"} 0.5`);
    }
    expect(text).toContain("\nchorus_conflict_concurrent_commits 4\n");
    expect(text).toContain("\nchorus_conflict_concurrent_merged 2\n");
    expect(text).toContain("\nchorus_conflict_concurrent_resolved 0\n");
    expect(text).toContain("\nchorus_conflict_concurrent_queued 2\n");
    expect(text).toContain("\nchorus_conflict_auto_resolution_rate 0.5\n");
  });

  it("answers an unknown workflow 404 naming the parameter", async () => {
    const problem = await expectStatus<{ errors: Array<{ path: string }> }>(
      api("/metrics?workflowId=wf_nope", { token: ADMIN }),
      404,
    );
    expect(problem.errors[0]?.path).toBe("/query/workflowId");
  });
});

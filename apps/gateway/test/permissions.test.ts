import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { routeTable } from "../src/route-table.ts";
import {
  ADMIN,
  api,
  createWorkflow,
  type Fixture,
  fixture,
  issueToken,
  registerAgent,
} from "./helpers.ts";
import { SAMPLES } from "./permission-samples.ts";

// Every route, the benchmark floors included: vitest.config.ts sets BENCH_FLOORS=1.
const ROUTES = routeTable(env);

/** The body as text; a stream (SSE or WebSocket) is closed instead, as it never ends by itself. */
async function bodyText(response: Response): Promise<string> {
  if (response.webSocket !== null) {
    response.webSocket.accept();
    response.webSocket.close(1000, "done");
    return "";
  }
  if (response.headers.get("content-type")?.startsWith("text/event-stream")) {
    await response.body?.cancel();
    return "";
  }
  return response.text();
}

/** Routes whose first declared status is not the one a sample request gets. */
const SUCCESS: Record<string, number> = {
  deleteAgent: 204,
  createTask: 201,
  spawnAgent: 201,
};

const RANK = { public: -1, reader: 0, writer: 1, admin: 2 } as const;
const CALLERS = ["reader", "writer", "admin"] as const;

/**
 * What an agent's token (a writer limited to the agent's workflow) gets beyond its role: the
 * sample requests act on another agent, which it may not do.
 */
const AGENT_REFUSED: Record<string, string> = {
  createAgent: "an agent's token cannot register agents",
  getAgent: "another agent",
  heartbeatAgent: "another agent",
  deleteAgent: "another agent",
  listAgentLeases: "another agent",
  claimTasks: "claims as another agent",
  heartbeatTask: "another agent's lease",
  completeTask: "another agent's lease",
  failTask: "another agent's lease",
};

/** Every console method, recorded while the matrix runs, so that no token is logged. */
const logged: string[] = [];
const CONSOLE = ["log", "info", "warn", "error", "debug"] as const;

describe("permission matrix", () => {
  let shared: Fixture;
  const tokens: Record<string, string> = {};
  /** every answer's headers and body, searched for the caller's token afterwards */
  const answers: Array<{ token: string; text: string }> = [];

  beforeAll(async () => {
    for (const method of CONSOLE) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logged.push(args.map((arg) => (arg instanceof Error ? arg.stack : String(arg))).join(" "));
      });
    }
    shared = await fixture();
    const other = await createWorkflow();
    for (const role of CALLERS) tokens[role] = (await issueToken(role)).token;
    tokens.scoped = (await issueToken("admin", [other.id])).token;
    const revoked = await issueToken("admin");
    await (await api(`/api/tokens/${revoked.id}`, { method: "DELETE", token: ADMIN })).text();
    tokens.revoked = revoked.token;
    tokens.agent = (await registerAgent({ workflowIds: [shared.id] })).token;
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    // Tokens never appear in logs, answers (errors included), Location headers or the audit trail.
    const audit = await api(`/api/workflows/${shared.id}/audit?limit=500`, { token: ADMIN });
    const trail = await audit.text();
    expect(audit.status).toBe(200);
    const secrets = [...Object.values(tokens), ADMIN];
    for (const secret of secrets) {
      for (const line of logged) expect(line).not.toContain(secret);
      expect(trail).not.toContain(secret);
    }
    for (const { token, text } of answers) expect(text).not.toContain(token);
    expect(answers.length).toBeGreaterThan(ROUTES.length * 8);
  });

  it("has a sample request for every route", () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(ROUTES.map((route) => route.operationId).sort());
  });

  describe.each(ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))(
    "%s",
    (_, route) => {
      const sample = SAMPLES[route.operationId] ?? (() => ({ path: "/missing" }));
      const success = SUCCESS[route.operationId] ?? Number(Object.keys(route.responses)[0]);
      const send = async (token: string | undefined, f: Fixture) => {
        const { path, ...call } = await sample(f);
        expect(path).not.toContain(token ?? "no token");
        const response = await api(path, { ...call, ...(token === undefined ? {} : { token }) });
        if (token !== undefined) {
          // The headers now; the body when the test reads it (a clone would hold a stream open).
          answers.push({ token, text: JSON.stringify([...response.headers]) });
          const text = response.text.bind(response);
          response.text = async () => {
            const body = await text();
            answers.push({ token, text: body });
            return body;
          };
        }
        return response;
      };

      it("refuses no token and a bad token with 401, unless public", async () => {
        for (const token of [undefined, "chorus_not-a-real-token", "Basic"]) {
          const response = await send(token, shared);
          await response.body?.cancel();
          expect(response.status).toBe(route.access === "public" ? success : 401);
        }
      });

      it("refuses a revoked token with 401, unless public", async () => {
        const response = await send(tokens.revoked, shared);
        const text = await bodyText(response);
        expect(response.status, text).toBe(route.access === "public" ? success : 401);
      });

      it("answers an agent's token as a writer limited to its workflow, acting only as itself", async () => {
        // Like any token limited to workflows, it may not use a route that names none.
        const unscoped = !route.path.includes("/:id") && route.checksWorkflows !== true;
        const refused =
          route.access === "admin" || unscoped || AGENT_REFUSED[route.operationId] !== undefined;
        const expected = route.access === "public" ? success : refused ? 403 : success;
        let f = shared;
        let token = tokens.agent;
        if (!refused && route.method !== "GET") {
          // A write changes the fixture: a fresh one, and an agent limited to it.
          f = await fixture();
          token = (await registerAgent({ workflowIds: [f.id] })).token;
        }
        const response = await send(token, f);
        const text = await bodyText(response);
        expect(response.status, text).toBe(expected);
      });

      it("refuses a token scoped to another workflow with 403, unless public", async () => {
        const response = await send(tokens.scoped, shared);
        await response.body?.cancel();
        expect(response.status).toBe(route.access === "public" ? success : 403);
      });

      it.each(CALLERS)("answers a %s token by its role", async (role) => {
        const allowed = RANK[role] >= RANK[route.access];
        const response = await send(
          tokens[role],
          allowed && route.method !== "GET" ? await fixture() : shared,
        );
        const text = await bodyText(response);
        expect(response.status, text).toBe(allowed ? success : 403);
      });
    },
  );
});

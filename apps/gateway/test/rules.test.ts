import { describe, expect, it } from "vitest";
import { ADMIN, api, createWorkflow, expectStatus, issueToken, type Problem } from "./helpers.ts";

type RuleAnswer = { rule: { id: string; then: Record<string, unknown> } };
type Detail = RuleAnswer & { firings: { version: number; outcome: string }[] };

const post = (path: string, json: unknown, token = ADMIN) =>
  api(path, { method: "POST", token, json });

const HOOK = { action: "webhook", url: "https://hooks.example/h", secret: "0123456789abcdef" };

describe("rules routes", () => {
  it("adds, lists, shows what a rule did, and deletes it", async () => {
    const { id } = await createWorkflow({ name: "Rules", data: {} });
    const at = `/api/workflows/${id}/rules`;
    const response = await post(at, {
      when: { path: "/data/**", test: "changed" },
      then: { action: "set", path: "/metadata", value: { touched: true } },
    });
    const { rule } = await expectStatus<RuleAnswer>(response, 201);
    expect(response.headers.get("location")).toBe(`${at}/${rule.id}`);
    const hook = await expectStatus<RuleAnswer>(
      post(at, { name: "notify", when: { path: "/data/x", test: "exists" }, then: HOOK }),
      201,
    );
    expect(hook.rule.then).toEqual({ action: "webhook", url: HOOK.url });
    const listed = await expectStatus<{ rules: { id: string }[] }>(api(at, { token: ADMIN }), 200);
    expect(listed.rules.map((r) => r.id)).toEqual([rule.id, hook.rule.id]);
    // The bridge runs now, and acts on the next commit.
    const agents = await expectStatus<{ agents: { type: string }[] }>(
      api(`/api/workflows/${id}/agents`, { token: ADMIN }),
      200,
    );
    expect(agents.agents.map((agent) => agent.type)).toEqual(["pattern-bridge"]);
    const committed = await expectStatus<{ version: { version: number } }>(
      api(`/api/workflows/${id}/state`, {
        method: "PATCH",
        token: ADMIN,
        json: [{ op: "add", path: "/data/x", value: 1 }],
        contentType: "application/json-patch+json",
      }),
      201,
    );
    const version = committed.version.version;
    let detail: Detail | undefined;
    for (let i = 0; i < 200 && (detail?.firings.length ?? 0) === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      detail = await expectStatus<Detail>(api(`${at}/${rule.id}`, { token: ADMIN }), 200);
    }
    expect(detail?.firings).toEqual([expect.objectContaining({ version, outcome: "done" })]);
    const deliveries = await expectStatus<{ deliveries: { version: number }[] }>(
      api(`${at}/${hook.rule.id}/deliveries`, { token: ADMIN }),
      200,
    );
    expect(deliveries.deliveries.map((delivery) => delivery.version)).toEqual([version]);
    await expectStatus(api(`${at}/${rule.id}`, { method: "DELETE", token: ADMIN }), 204);
    await expectStatus(api(`${at}/${rule.id}`, { token: ADMIN }), 404);
  });

  it("refuses bad rules with 422 naming the field, adding nothing", async () => {
    const { id } = await createWorkflow();
    const at = `/api/workflows/${id}/rules`;
    const when = { path: "/data", test: "changed" };
    const set = { action: "set", path: "/data/a", value: 1 };
    const cases: [unknown, string][] = [
      [{ then: set }, "/when"],
      [{ when: { ...when, path: "data" }, then: set }, "/when/path"],
      [{ when: { ...when, test: "matches" }, then: set }, "/when/test"],
      [{ when: { ...when, test: "equals" }, then: set }, "/when/value"],
      [{ when: { ...when, test: "in", value: "x" }, then: set }, "/when/value"],
      [{ when: { ...when, every: "yes" }, then: set }, "/when/every"],
      [{ when }, "/then"],
      [{ when, then: { action: "explode" } }, "/then/action"],
      [{ when, then: { ...set, path: "" } }, "/then/path"],
      [{ when, then: { action: "set", path: "/a" } }, "/then/value"],
      [{ when, then: { action: "createTask", task: {} } }, "/then/task/type"],
      [{ when, then: { ...HOOK, url: "ftp://x.io/h" } }, "/then/url"],
      [{ when, then: { ...HOOK, secret: "short" } }, "/then/secret"],
      [{ when, then: set, extra: 1 }, "/extra"],
    ];
    for (const [rule, path] of cases) {
      const problem = await expectStatus<Problem>(post(at, rule), 422);
      expect(problem.errors?.[0]?.path, JSON.stringify(rule)).toBe(path);
    }
    const listed = await expectStatus<{ rules: unknown[] }>(api(at, { token: ADMIN }), 200);
    expect(listed.rules).toEqual([]);
  });

  it("answers 404 for an unknown workflow or rule and 403 to a reader adding one", async () => {
    const { id } = await createWorkflow();
    const rule = {
      when: { path: "/data", test: "changed" },
      then: { action: "set", path: "/data/a", value: 1 },
    };
    await expectStatus(post("/api/workflows/no-such-workflow/rules", rule), 404);
    for (const path of [
      `/api/workflows/${id}/rules/rl_nope`,
      `/api/workflows/${id}/rules/rl_nope/deliveries`,
    ]) {
      const problem = await expectStatus<Problem>(api(path, { token: ADMIN }), 404);
      expect(problem.errors?.[0]?.path).toBe("/params/rid");
    }
    await expectStatus(
      api(`/api/workflows/${id}/rules/rl_nope`, { method: "DELETE", token: ADMIN }),
      404,
    );
    const { token } = await issueToken("reader");
    await expectStatus(post(`/api/workflows/${id}/rules`, rule, token), 403);
  });
});

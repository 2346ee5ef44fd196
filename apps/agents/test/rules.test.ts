import { env } from "cloudflare:workers";
import {
  type JsonValue,
  type Result,
  type Rule,
  type RuleFiring,
  unwrap,
  verifyWebhook,
  type WebhookDelivery,
} from "@chorus/core";
import { describe, expect, it } from "vitest";
import { commitPatch, createWorkflow, eventually, freshWorkflowId } from "./helpers.ts";

const SECRET = "0123456789abcdef-secret";

type Detail = { rule: Rule; firings: RuleFiring[] };

async function addRule(workflowId: string, rule: object): Promise<Rule> {
  return unwrap(await env.AGENTS.createRule({ workflowId, rule, createdBy: "alice" }));
}

async function firings(workflowId: string, ruleId: string): Promise<RuleFiring[]> {
  return (unwrap(await env.AGENTS.getRule({ workflowId, ruleId })) as Detail).firings;
}

async function stateOf(workflowId: string): Promise<Record<string, JsonValue>> {
  const read = (await env.STATE.getState({ workflowId })) as Result<{ state: JsonValue }>;
  return unwrap(read).state as Record<string, JsonValue>;
}

async function commitsBy(workflowId: string, author: string): Promise<number> {
  const page = (await env.STATE.history({ workflowId, limit: 100 })) as Result<{
    versions: { author: string }[];
  }>;
  return unwrap(page).versions.filter((version) => version.author === author).length;
}

describe("Pattern Bridge", () => {
  it("sets the workflow completed once every task is: once, for that version only", async () => {
    const workflowId = freshWorkflowId();
    const task = (id: string) => ({ id, status: "ready" });
    await createWorkflow(workflowId, { status: "running", tasks: { a: task("a"), b: task("b") } });
    const rule = await addRule(workflowId, {
      when: { path: "/tasks/*/status", test: "equals", value: "completed", every: true },
      then: { action: "set", path: "/status", value: "completed" },
    });
    const [bridge] = unwrap(await env.AGENTS.listAgents({ workflowId }));
    expect(bridge?.type).toBe("pattern-bridge");
    await commitPatch(workflowId, [{ op: "replace", path: "/tasks/a/status", value: "completed" }]);
    const last = await commitPatch(workflowId, [
      { op: "replace", path: "/tasks/b/status", value: "completed" },
    ]);
    const fired = await eventually(
      () => firings(workflowId, rule.id),
      (list) => list.length > 0,
    );
    expect(fired).toEqual([expect.objectContaining({ version: last, outcome: "done", depth: 0 })]);
    expect((await stateOf(workflowId)).status).toBe("completed");
    // The same versions delivered again change nothing: no second firing, no second commit.
    const author = `agent:${bridge?.agentId}`;
    expect(await commitsBy(workflowId, author)).toBe(1);
    const agentsBefore = unwrap(await env.AGENTS.listAgents({ workflowId }))[0];
    await commitPatch(workflowId, [{ op: "add", path: "/metadata", value: { note: 1 } }]);
    await eventually(
      async () => unwrap(await env.AGENTS.listAgents({ workflowId }))[0],
      (agent) => (agent?.appliedVersion ?? 0) > (agentsBefore?.appliedVersion ?? 0),
    );
    expect(await firings(workflowId, rule.id)).toHaveLength(1);
    expect(await commitsBy(workflowId, author)).toBe(1);
  });

  it("never loops: rules that trigger each other stop at the depth limit, reason recorded", async () => {
    const workflowId = freshWorkflowId();
    await createWorkflow(workflowId, { data: { flag: false } });
    const off = await addRule(workflowId, {
      when: { path: "/data/flag", test: "equals", value: true },
      then: { action: "set", path: "/data/flag", value: false },
    });
    const on = await addRule(workflowId, {
      when: { path: "/data/flag", test: "equals", value: false },
      then: { action: "set", path: "/data/flag", value: true },
    });
    await commitPatch(workflowId, [{ op: "replace", path: "/data/flag", value: true }]);
    const skipped = await eventually(
      async () => [...(await firings(workflowId, off.id)), ...(await firings(workflowId, on.id))],
      (list) => list.some((firing) => firing.outcome === "skipped"),
    );
    const done = skipped.filter((firing) => firing.outcome === "done");
    expect(done.map((firing) => firing.depth).sort()).toEqual([0, 1, 2, 3, 4]);
    const stop = skipped.find((firing) => firing.outcome === "skipped");
    expect(stop).toMatchObject({ depth: 5 });
    expect(stop?.reason).toMatch(/depth limit 5/);
    // Nothing more happens after the stop.
    const head = unwrap(
      (await env.STATE.getState({ workflowId })) as Result<{ version: { version: number } }>,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const later = unwrap(
      (await env.STATE.getState({ workflowId })) as Result<{ version: { version: number } }>,
    );
    expect(later.version.version).toBe(head.version.version);
  });

  it("is not triggered by its own commits", async () => {
    const workflowId = freshWorkflowId();
    await createWorkflow(workflowId, { data: { n: 0 } });
    const rule = await addRule(workflowId, {
      when: { path: "/data/**", test: "changed" },
      then: { action: "set", path: "/data/seen", value: true },
    });
    const version = await commitPatch(workflowId, [{ op: "replace", path: "/data/n", value: 1 }]);
    await eventually(
      () => firings(workflowId, rule.id),
      (list) => list.length > 0,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await firings(workflowId, rule.id)).toEqual([
      expect.objectContaining({ version, outcome: "done" }),
    ]);
  });

  it("creates a task once per firing version", async () => {
    const workflowId = freshWorkflowId();
    await createWorkflow(workflowId);
    const rule = await addRule(workflowId, {
      when: { path: "/data/release", test: "exists" },
      then: { action: "createTask", task: { type: "announce", title: "Announce the release" } },
    });
    const version = await commitPatch(workflowId, [
      { op: "add", path: "/data/release", value: "1.4" },
    ]);
    const taskId = `rule-${rule.id}-v${version}`;
    const task = await eventually(
      async () => await env.STATE.getTask({ workflowId, taskId }),
      (result) => result.ok,
    );
    expect(unwrap(task)).toMatchObject({ id: taskId, type: "announce", status: "ready" });
  });

  it("signs webhooks and retries them with backoff until the receiver takes one", async () => {
    const workflowId = freshWorkflowId();
    await createWorkflow(workflowId);
    const hook = `hook-${crypto.randomUUID()}`;
    const rule = await addRule(workflowId, {
      when: { path: "/data/**", test: "changed" },
      then: { action: "webhook", url: `https://hooks.example/hook/${hook}?fail=2`, secret: SECRET },
    });
    expect(rule.then).not.toHaveProperty("secret");
    const version = await commitPatch(workflowId, [{ op: "add", path: "/data/x", value: 1 }]);
    const [delivery] = await eventually(
      async () =>
        unwrap(
          await env.AGENTS.ruleDeliveries({ workflowId, ruleId: rule.id }),
        ) as WebhookDelivery[],
      (list) => list[0]?.status === "delivered",
    );
    expect(delivery).toMatchObject({ id: `${rule.id}:${version}`, version, attempts: 3 });
    expect(delivery?.history.map((attempt) => attempt.status)).toEqual([500, 500, 200]);
    const received = await env.RECEIVER.received({ name: hook });
    expect(received.map((request) => request.status)).toEqual([500, 500, 200]);
    for (const request of received) {
      expect(request.delivery).toBe(`${rule.id}:${version}`);
      const valid = await verifyWebhook(
        SECRET,
        request.signature ?? "",
        request.body,
        Date.now() / 1000,
      );
      expect(valid).toBe(true);
      expect(
        await verifyWebhook(
          "another-secret-here",
          request.signature ?? "",
          request.body,
          Date.now() / 1000,
        ),
      ).toBe(false);
    }
    expect(JSON.parse(received[2]?.body ?? "{}")).toMatchObject({
      ruleId: rule.id,
      workflowId,
      version,
    });
    // Backoff: the waits between attempts grow.
    const at = received.length === 3 ? (delivery?.history.map((attempt) => attempt.at) ?? []) : [];
    expect((at[2] ?? 0) - (at[1] ?? 0)).toBeGreaterThanOrEqual(150);
  });

  it("gives a webhook up after its last attempt, logged", async () => {
    const workflowId = freshWorkflowId();
    await createWorkflow(workflowId);
    const hook = `hook-${crypto.randomUUID()}`;
    const rule = await addRule(workflowId, {
      when: { path: "/data/**", test: "changed" },
      then: {
        action: "webhook",
        url: `https://hooks.example/hook/${hook}?fail=100`,
        secret: SECRET,
      },
    });
    await commitPatch(workflowId, [{ op: "add", path: "/data/x", value: 1 }]);
    const [delivery] = await eventually(
      async () =>
        unwrap(
          await env.AGENTS.ruleDeliveries({ workflowId, ruleId: rule.id }),
        ) as WebhookDelivery[],
      (list) => list[0]?.status === "failed",
      20_000,
    );
    expect(delivery?.attempts).toBe(8);
    expect(delivery?.history.every((attempt) => attempt.status === 500)).toBe(true);
  });

  it("refuses bad rules naming the field, adding nothing", async () => {
    const workflowId = freshWorkflowId();
    const when = { path: "/data", test: "changed" };
    const cases: [unknown, string][] = [
      [
        { when: { path: "data", test: "changed" }, then: { action: "set", path: "/a", value: 1 } },
        "/rule/when/path",
      ],
      [
        { when: { ...when, test: "equals" }, then: { action: "set", path: "/a", value: 1 } },
        "/rule/when/value",
      ],
      [{ when, then: { action: "explode" } }, "/rule/then/action"],
      [
        { when, then: { action: "webhook", url: "https://x.io", secret: "short" } },
        "/rule/then/secret",
      ],
      [{ when }, "/rule/then"],
    ];
    for (const [rule, path] of cases) {
      const refused = await env.AGENTS.createRule({ workflowId, rule, createdBy: "alice" });
      expect(refused, JSON.stringify(rule)).toMatchObject({
        ok: false,
        error: { code: "VALIDATION_FAILED", path },
      });
    }
    expect(unwrap(await env.AGENTS.listRules({ workflowId }))).toEqual([]);
    expect(unwrap(await env.AGENTS.listAgents({ workflowId }))).toEqual([]);
    const missing = await env.AGENTS.getRule({ workflowId, ruleId: "rl_nope" });
    expect(missing).toMatchObject({ ok: false, error: { code: "NOT_FOUND", path: "/ruleId" } });
  });
});

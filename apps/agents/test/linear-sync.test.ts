import { env } from "cloudflare:workers";
import { linearIssueId, type SpawnedAgent, unwrap } from "@chorus/core";
import { FakeLinearControl } from "@chorus/linear-fake/control";
import { describe, expect, inject, it } from "vitest";
import type { LinearSyncDetail } from "../src/linear-sync.ts";
import {
  commitPatch,
  createWorkflow,
  eventually,
  freshWorkflowId,
  spawnedAgent,
} from "./helpers.ts";

const T0 = Date.UTC(2030, 0, 1);

interface Synced {
  workflowId: string;
  teamId: string;
  agentId: string;
  linear: FakeLinearControl;
  /** the agent's clock: set it, then run its alarm */
  at(ms: number): Promise<void>;
  alarm(): Promise<void>;
  detail(): Promise<LinearSyncDetail>;
  issueId(taskId: string): Promise<string>;
}

/** A workflow with a running Linear agent on a team of its own, its clock at T0. */
async function synced(config: Record<string, unknown> = {}): Promise<Synced> {
  const workflowId = freshWorkflowId("lin");
  const teamId = `team-${crypto.randomUUID().slice(0, 8)}`;
  await createWorkflow(workflowId, { tasks: {}, data: {} });
  const { agent } = unwrap(
    await env.AGENTS.spawnAgent({
      workflowId,
      type: "linear",
      config: { teamId, ...config },
      createdBy: "alice",
    }),
  );
  const at = (ms: number) => env.TEST_AGENTS.linearSetClock({ workflowId, at: ms });
  await at(T0);
  return {
    workflowId,
    teamId,
    agentId: agent.agentId,
    linear: new FakeLinearControl(inject("linearUrl"), teamId),
    at,
    alarm: () => env.TEST_AGENTS.linearRunAlarm({ workflowId }),
    detail: async () => detailOf(await spawnedAgent(workflowId, agent.agentId)),
    issueId: (taskId) => linearIssueId(workflowId, taskId),
  };
}

function detailOf(agent: SpawnedAgent): LinearSyncDetail {
  return agent.detail as unknown as LinearSyncDetail;
}

/** The workflow's tasks as the state manager holds them now. */
async function tasks(s: Synced): Promise<Record<string, { status: string; title?: string }>> {
  const read = unwrap(await env.STATE.getState({ workflowId: s.workflowId }));
  return (read.state as unknown as { tasks: Record<string, { status: string; title?: string }> })
    .tasks;
}

const task = (id: string, title: string, status = "ready") => ({
  op: "add",
  path: `/tasks/${id}`,
  value: { id, title, status },
});

/** Waits until the agent has taken in every version up to `version`. */
async function handled(s: Synced, version: number): Promise<void> {
  await eventually(
    () => spawnedAgent(s.workflowId, s.agentId),
    (agent) => agent.appliedVersion >= version && (agent.metrics.changesHandled ?? 0) > 0,
  );
}

/**
 * Runs the agent's alarm until nothing waits for Linear (or `runs` runs), moving its clock on by
 * `stepMs` before each run after the first (from `from`).
 */
async function drain(s: Synced, runs = 20, stepMs = 0, from = T0): Promise<LinearSyncDetail> {
  for (let i = 0; i < runs; i++) {
    if (stepMs > 0) await s.at(from + i * stepMs);
    await s.alarm();
    const detail = await s.detail();
    if (detail.pending.length === 0) return detail;
  }
  return s.detail();
}

/** Delivers the webhooks Linear sent since the last take, as Linear would, through the agents service. */
async function deliverWebhooks(s: Synced): Promise<(number | null)[]> {
  const committed: (number | null)[] = [];
  for (const delivery of await s.linear.takeWebhooks()) {
    const taken = unwrap(
      await env.AGENTS.linearWebhook({
        payload: JSON.parse(delivery.body),
        replayKey: delivery.headers["Linear-Signature"] ?? "",
      }),
    );
    committed.push(taken.committed);
  }
  return committed;
}

describe("Linear State Agent: configuration", () => {
  it("refuses a spawn without a team or with an API key in its config, at the path", async () => {
    const workflowId = freshWorkflowId("lin");
    const spawn = (config: Record<string, unknown>) =>
      env.AGENTS.spawnAgent({ workflowId, type: "linear", config, createdBy: "alice" });
    expect(await spawn({})).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", path: "/config/teamId" },
    });
    expect(await spawn({ teamId: "t", apiKey: "lin_api_x" })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", path: "/config/apiKey" },
    });
    expect(unwrap(await env.AGENTS.listAgents({ workflowId }))).toEqual([]);
  });
});

describe("Linear State Agent: Chorus → Linear", () => {
  it("creates an issue for a new task, then updates its title, status and assignee", async () => {
    const s = await synced({ assigneeMap: { "agent-7": "user-7" }, labelIds: ["label-1"] });
    const v2 = await commitPatch(s.workflowId, [task("t1", "Write the docs")]);
    await handled(s, v2);
    await drain(s);
    const issueId = await s.issueId("t1");
    let { issues } = await s.linear.team();
    expect(issues).toEqual([
      expect.objectContaining({
        id: issueId,
        title: "Write the docs",
        stateId: `${s.teamId}-todo`,
        labelIds: ["label-1"],
      }),
    ]);
    const v3 = await commitPatch(s.workflowId, [
      { op: "replace", path: "/tasks/t1/title", value: "Write the docs well" },
      { op: "replace", path: "/tasks/t1/status", value: "claimed" },
      { op: "add", path: "/tasks/t1/assignee", value: "agent-7" },
    ]);
    await handled(s, v3);
    const detail = await drain(s);
    ({ issues } = await s.linear.team());
    expect(issues[0]).toMatchObject({
      title: "Write the docs well",
      stateId: `${s.teamId}-in-progress`,
      assigneeId: "user-7",
    });
    expect(detail).toMatchObject({ issues: 1, pending: [] });
    const { requests } = await s.linear.team();
    expect(requests.filter((r) => r.operation === "createIssue")).toHaveLength(1);
  });

  it("maps statuses through the configured stateMap", async () => {
    const s = await synced({ stateMap: { ready: "Backlog", completed: "In Review" } });
    const v = await commitPatch(s.workflowId, [task("a", "A"), task("b", "B", "completed")]);
    await handled(s, v);
    await drain(s);
    const { issues } = await s.linear.team();
    expect(issues.map((i) => [i.title, i.stateId])).toEqual([
      ["A", `${s.teamId}-backlog`],
      ["B", `${s.teamId}-in-review`],
    ]);
  });
});

describe("Linear State Agent: Linear → Chorus", () => {
  it("commits a webhook's change to the task as `linear`, mapping the state back", async () => {
    const s = await synced();
    const v = await commitPatch(s.workflowId, [task("t1", "Ship it")]);
    await handled(s, v);
    await drain(s);
    await deliverWebhooks(s); // the create's own webhook: an echo
    const issueId = await s.issueId("t1");
    await s.linear.edit(issueId, { stateId: `${s.teamId}-done`, title: "Ship it now" });
    const [committed] = await deliverWebhooks(s);
    expect(committed).toEqual(expect.any(Number));
    expect((await tasks(s)).t1).toMatchObject({ status: "completed", title: "Ship it now" });
    const history = unwrap(await env.STATE.history({ workflowId: s.workflowId, limit: 1 })) as {
      versions: { version: number; author: string }[];
    };
    expect(history.versions[0]).toMatchObject({ version: committed, author: "linear" });
  });

  it("refuses a replay and an unknown issue without a commit", async () => {
    const s = await synced();
    const v = await commitPatch(s.workflowId, [task("t1", "One")]);
    await handled(s, v);
    await drain(s);
    await deliverWebhooks(s);
    const { delivery } = await s.linear.edit(await s.issueId("t1"), { title: "Two" });
    const input = {
      payload: JSON.parse(delivery.body),
      replayKey: delivery.headers["Linear-Signature"] ?? "",
    };
    expect(unwrap(await env.AGENTS.linearWebhook(input)).committed).toEqual(expect.any(Number));
    const head = (
      unwrap(await env.STATE.history({ workflowId: s.workflowId, limit: 1 })) as {
        versions: { version: number }[];
      }
    ).versions[0]?.version;
    expect(await env.AGENTS.linearWebhook(input)).toMatchObject({
      ok: false,
      error: { code: "ALREADY_EXISTS" },
    });
    const unknown = { ...input.payload, data: { ...input.payload.data, id: crypto.randomUUID() } };
    expect(
      await env.AGENTS.linearWebhook({ payload: unknown, replayKey: "f".repeat(64) }),
    ).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
    const after = (
      unwrap(await env.STATE.history({ workflowId: s.workflowId, limit: 1 })) as {
        versions: { version: number }[];
      }
    ).versions[0]?.version;
    expect(after).toBe(head);
  });

  it("does not ping-pong over 50 alternating edits", { timeout: 180_000 }, async () => {
    const s = await synced();
    let version = await commitPatch(s.workflowId, [task("t1", "e0")]);
    await handled(s, version);
    await drain(s);
    await deliverWebhooks(s);
    const issueId = await s.issueId("t1");
    let fromLinear = 0;
    for (let i = 1; i <= 50; i++) {
      if (i % 2 === 1) {
        version = await commitPatch(s.workflowId, [
          { op: "replace", path: "/tasks/t1/title", value: `chorus ${i}` },
        ]);
        await handled(s, version);
        await drain(s);
        // The update's own webhook comes back: an echo, committed nowhere.
        expect(await deliverWebhooks(s)).toEqual([null]);
      } else {
        await s.linear.edit(issueId, { title: `linear ${i}` });
        const [committed] = await deliverWebhooks(s);
        expect(committed).toEqual(expect.any(Number));
        fromLinear++;
        // Its delivery back to the agent is an echo too: nothing goes to Linear.
        await handled(s, committed ?? 0);
        expect((await drain(s)).pending).toEqual([]);
      }
    }
    const { issues, requests } = await s.linear.team();
    expect(issues[0]?.title).toBe("linear 50");
    expect(requests.filter((r) => r.operation === "updateIssue")).toHaveLength(25);
    expect(fromLinear).toBe(25);
    expect((await tasks(s)).t1?.title).toBe("linear 50");
  });
});

describe("Linear State Agent: failures", () => {
  /** The titles Linear accepted for the team's issues, in the order it took them. */
  async function acceptedTitles(s: Synced): Promise<string[]> {
    const { requests } = await s.linear.team();
    return requests
      .filter((r) => r.answer === "ok" && ["createIssue", "updateIssue"].includes(r.operation))
      .map((r) => String((r.variables.input as { title?: string }).title ?? ""));
  }

  it("waits out a rate-limit burst until the reset Linear names, losing and reordering nothing", async () => {
    const s = await synced();
    await s.linear.faults({ rateLimit: { count: 3, resetAt: T0 + 60_000 } });
    let version = 0;
    for (let i = 1; i <= 5; i++) {
      const patch =
        i === 1 ? [task("t1", "v1")] : [{ op: "replace", path: "/tasks/t1/title", value: `v${i}` }];
      version = await commitPatch(s.workflowId, patch);
    }
    await handled(s, version);
    await s.alarm();
    const waiting = await s.detail();
    expect(waiting.pending.length).toBeGreaterThan(0);
    expect(waiting.lastError?.message).toMatch(/rate limit/i);
    // Every change waits for the reset, those queued after the rate limit too.
    expect(waiting.pending.map((p) => p.notBefore)).toEqual(waiting.pending.map(() => T0 + 60_000));
    await s.at(T0 + 59_000);
    const before = (await s.linear.team()).requests.length;
    await s.alarm();
    expect((await s.linear.team()).requests.length).toBe(before);
    // From the reset on, the alarm every 10 s: the burst's last refusals name no later reset,
    // so those changes back off, and still go in order.
    expect((await drain(s, 20, 10_000, T0 + 60_000)).pending).toEqual([]);
    expect(await acceptedTitles(s)).toEqual(["v1", "v2", "v3", "v4", "v5"]);
    const answers = (await s.linear.team()).requests.map((r) => r.answer);
    expect(answers.filter((a) => a === "rate-limited")).toHaveLength(3);
  });

  it("rides out a 5-minute outage with backoff, losing and reordering nothing", async () => {
    const s = await synced();
    let version = await commitPatch(s.workflowId, [task("a", "a1"), task("b", "b1")]);
    await handled(s, version);
    await drain(s);
    await s.linear.faults({ outage: true });
    for (let i = 2; i <= 6; i++) {
      version = await commitPatch(s.workflowId, [
        { op: "replace", path: "/tasks/a/title", value: `a${i}` },
        { op: "replace", path: "/tasks/b/title", value: `b${i}` },
      ]);
    }
    await handled(s, version);
    // Five simulated minutes, the alarm run every 10 s: every try fails, nothing is dropped.
    for (let t = 0; t <= 300_000; t += 10_000) {
      await s.at(T0 + t);
      await s.alarm();
    }
    const down = await s.detail();
    expect(down.pending.map((p) => p.taskId).sort()).toEqual([
      ...Array(5).fill("a"),
      ...Array(5).fill("b"),
    ]);
    expect(down.lastError?.message).toBeDefined();
    await s.linear.faults({});
    await s.at(T0 + 300_000 + 300_000);
    expect((await drain(s)).pending).toEqual([]);
    const titles = await acceptedTitles(s);
    expect(titles.filter((t) => t.startsWith("a"))).toEqual(["a1", "a2", "a3", "a4", "a5", "a6"]);
    expect(titles.filter((t) => t.startsWith("b"))).toEqual(["b1", "b2", "b3", "b4", "b5", "b6"]);
  });

  it("creates no second issue when restarted after Linear took a create it did not answer", async () => {
    const s = await synced();
    await s.linear.faults({ dropResponses: 1 });
    const version = await commitPatch(s.workflowId, [task("t1", "Once")]);
    await handled(s, version);
    await s.alarm();
    expect((await s.detail()).pending).toMatchObject([{ kind: "create", attempts: 1 }]);
    await env.TEST_AGENTS.linearRestart({ workflowId: s.workflowId });
    await s.at(T0 + 60_000);
    expect((await drain(s)).pending).toEqual([]);
    const { issues, requests } = await s.linear.team();
    expect(issues).toHaveLength(1);
    expect(requests.filter((r) => r.operation === "createIssue")).toHaveLength(1);
    // A change delivered again, creating the task once more, makes no second issue either.
    const value = { id: "t1", status: "ready", title: "Once" };
    const replayed = unwrap(
      await env.AGENTS.deliverChanges({
        workflowId: s.workflowId,
        events: [
          {
            workflowId: s.workflowId,
            version: version + 1_000,
            branch: "main",
            parents: [version],
            author: "tester",
            changeDescription: "replayed",
            timestamp: T0,
            checksum: "0".repeat(64),
            patch: [{ op: "add", path: "/tasks/t1", value }],
            changes: [
              {
                id: "replayed:0",
                workflowId: s.workflowId,
                type: "task-update",
                path: "/tasks/t1",
                newValue: value,
                timestamp: T0,
                agentId: "tester",
              },
            ],
          },
        ],
      }),
    );
    expect(replayed.upTo).toBe(version + 1_000);
    await handled(s, version + 1_000);
    expect(await drain(s)).toMatchObject({ issues: 1, pending: [] });
    expect((await s.linear.team()).issues).toHaveLength(1);
  });
});

import type { AgentRecord, Task } from "@chorus/core";
import { describe, expect, it } from "vitest";
import type { Identity } from "../src/auth.ts";
import { boardCountedAgent } from "../src/board-lease.ts";
import {
  ADMIN,
  api,
  createWorkflow,
  expectStatus,
  issueToken,
  type Problem,
  registerAgent,
} from "./helpers.ts";

type Change = { task: Task; version: { version: number; author: string }; replayed?: boolean };
type Claims = {
  claims: { task: Task; lease: { id: string; attempt: number; expiresAt: number } }[];
};

const post = (path: string, json: unknown, token = ADMIN) =>
  api(path, { method: "POST", token, ...(json === undefined ? {} : { json }) });

describe("POST /api/workflows/{id}/tasks", () => {
  it("creates, replays the same create, and refuses another body or a bad dependency", async () => {
    const { id } = await createWorkflow({});
    const at = `/api/workflows/${id}/tasks`;
    const response = await post(at, { id: "t-a", type: "review" });
    const created = await expectStatus<Change>(response, 201);
    expect(response.headers.get("location")).toBe(`${at}/t-a`);
    expect(created.task).toMatchObject({
      id: "t-a",
      status: "ready",
      priority: "normal",
      attempt: 0,
    });
    const replay = await expectStatus<Change>(
      post(at, { id: "t-a", type: "review", priority: "normal" }),
      200,
    );
    expect(replay).toEqual({ ...created, replayed: true });
    await expectStatus(post(at, { id: "t-a", type: "other" }), 409);
    const bad = await expectStatus<Problem>(post(at, { type: "review", dependsOn: ["nope"] }), 422);
    expect(bad.errors?.[0]?.path).toBe("/dependsOn");
    const { tasks } = await expectStatus<{ tasks: Task[] }>(api(at, { token: ADMIN }), 200);
    expect(tasks.map((task) => task.id)).toEqual(["t-a"]);
  });

  it("refuses a dependency on an unknown task, on itself, or closing a cycle at /dependsOn", async () => {
    // A task written by hand already waits on "new": "new" depending on it closes a cycle.
    const { id } = await createWorkflow({
      tasks: { x: { id: "x", status: "pending", dependsOn: ["new"] } },
    });
    const at = `/api/workflows/${id}/tasks`;
    await expectStatus(post(at, { id: "a", type: "review" }), 201);
    for (const dependsOn of [
      ["a", "nope"],
      ["a", "new"],
      ["a", "x"],
    ]) {
      const problem = await expectStatus<Problem>(
        post(at, { id: "new", type: "review", dependsOn }),
        422,
      );
      expect(
        problem.errors?.map((error) => error.path),
        dependsOn.join(),
      ).toEqual(["/dependsOn"]);
    }
    const { tasks } = await expectStatus<{ tasks: Task[] }>(api(at, { token: ADMIN }), 200);
    expect(tasks.map((task) => task.id).sort()).toEqual(["a", "x"]);
    await expectStatus(post(at, { id: "new", type: "review", dependsOn: ["a"] }), 201);
  });

  it("refuses bad bodies and queries with their paths, creating nothing", async () => {
    const { id } = await createWorkflow({});
    const at = `/api/workflows/${id}/tasks`;
    for (const [json, path] of [
      [{}, "/type"],
      [{ type: "r", maxAttempts: 0 }, "/maxAttempts"],
      [{ type: "r", leaseMs: 999 }, "/leaseMs"],
      [{ type: "r", priority: "urgent" }, "/priority"],
      [{ type: "r", assign: "shove" }, "/assign"],
      [{ type: "r", color: 1 }, "/color"],
    ] as const) {
      const problem = await expectStatus<Problem>(post(at, json), 422);
      expect(problem.errors?.[0]?.path, JSON.stringify(json)).toBe(path);
    }
    const query = await expectStatus<Problem>(api(`${at}?status=busy`, { token: ADMIN }), 422);
    expect(query.errors?.[0]?.path).toBe("/query/status");
    const { tasks } = await expectStatus<{ tasks: Task[] }>(api(at, { token: ADMIN }), 200);
    expect(tasks).toEqual([]);
    await expectStatus(api(`${at}/missing`, { token: ADMIN }), 404);
  });
});

describe("claiming and completing", () => {
  it("lets an agent claim, heartbeat and complete as itself, once", async () => {
    const { id } = await createWorkflow({});
    const at = `/api/workflows/${id}/tasks`;
    const { agent, token } = await registerAgent({ workflowIds: [id] });
    const other = await registerAgent({ workflowIds: [id] });
    await expectStatus(post(at, { id: "t1", type: "review" }), 201);
    await expectStatus(post(`${at}/claim`, { agentId: other.agent.id }, token), 403);
    const { claims } = await expectStatus<Claims>(
      post(`${at}/claim`, { agentId: agent.id }, token),
      200,
    );
    const [claim] = claims;
    if (claim === undefined) throw new Error("nothing claimed");
    expect(claim.lease.attempt).toBe(1);
    // The other agent's token cannot use this agent's lease.
    await expectStatus(post(`${at}/t1/complete`, { leaseId: claim.lease.id }, other.token), 403);
    const beat = await expectStatus<Change>(
      post(`${at}/t1/heartbeat`, { leaseId: claim.lease.id }, token),
      200,
    );
    expect(beat.task.lease?.expiresAt).toBeGreaterThanOrEqual(claim.lease.expiresAt);
    const leases = await expectStatus<{ leases: unknown[] }>(
      api(`/api/agents/${agent.id}/leases`, { token }),
      200,
    );
    expect(leases.leases).toHaveLength(1);
    const done = await expectStatus<Change>(
      post(`${at}/t1/complete`, { leaseId: claim.lease.id, result: 1 }, token),
      200,
    );
    expect(done.task.status).toBe("completed");
    expect(done.version.author).toBe(`agent:${agent.id}`);
    const replay = await expectStatus<Change>(
      post(`${at}/t1/complete`, { leaseId: claim.lease.id, result: 2 }, token),
      200,
    );
    expect(replay).toEqual({ ...done, replayed: true });
    const stale = await expectStatus<Problem>(
      post(`${at}/t1/complete`, { leaseId: "other" }, token),
      409,
    );
    expect(stale.code).toBe("LEASE_EXPIRED");
    // An agent of one workflow completes on its board; its shard hears of it just after.
    await expect
      .poll(
        async () => await expectStatus<AgentRecord>(api(`/api/agents/${agent.id}`, { token }), 200),
      )
      .toMatchObject({ agent: { status: "idle", leases: 0 } });
  });

  it("takes an agent of several workflows through the coordinator, its slot free on the answer", async () => {
    const [a, b] = [await createWorkflow({}), await createWorkflow({})];
    const at = `/api/workflows/${a.id}/tasks`;
    const { agent, token } = await registerAgent({ workflowIds: [a.id, b.id], maxConcurrency: 1 });
    await expectStatus(post(at, { id: "t1", type: "review" }), 201);
    await expectStatus(post(at, { id: "t2", type: "review" }), 201);
    const { claims } = await expectStatus<Claims>(
      post(`${at}/claim`, { agentId: agent.id }, token),
      200,
    );
    const leaseId = claims[0]?.lease.id;
    await expectStatus(
      post(`${at}/t1/fail`, { leaseId, error: "no", retryable: false }, token),
      200,
    );
    const next = await expectStatus<Claims>(post(`${at}/claim`, { agentId: agent.id }, token), 200);
    expect(next.claims.map((claim) => claim.task.id)).toEqual(["t2"]);
  });

  it("keeps an agent's token to its workflows and refuses a reader's claim", async () => {
    const mine = await createWorkflow({});
    const theirs = await createWorkflow({});
    const { agent, token } = await registerAgent({ workflowIds: [mine.id] });
    await expectStatus(
      post(`/api/workflows/${theirs.id}/tasks/claim`, { agentId: agent.id }, token),
      403,
    );
    const reader = (await issueToken("reader")).token;
    await expectStatus(
      post(`/api/workflows/${mine.id}/tasks/claim`, { agentId: agent.id }, reader),
      403,
    );
    const bad = await expectStatus<Problem>(
      post(`/api/workflows/${mine.id}/tasks/claim`, { agentId: agent.id, max: 51 }),
      422,
    );
    expect(bad.errors?.[0]?.path).toBe("/max");
  });

  it("dead-letters a task failed for good, and retries it", async () => {
    const { id } = await createWorkflow({});
    const at = `/api/workflows/${id}/tasks`;
    const { agent, token } = await registerAgent({ workflowIds: [id] });
    await expectStatus(post(at, { id: "t1", type: "review", maxAttempts: 1 }), 201);
    const { claims } = await expectStatus<Claims>(
      post(`${at}/claim`, { agentId: agent.id }, token),
      200,
    );
    const leaseId = claims[0]?.lease.id;
    const failed = await expectStatus<Change>(
      post(`${at}/t1/fail`, { leaseId, error: "broke" }, token),
      200,
    );
    expect(failed.task.status).toBe("dead");
    const retried = await expectStatus<Change>(post(`${at}/t1/retry`, undefined), 200);
    expect(retried.task.status).toBe("ready");
    const cancelled = await expectStatus<Change>(post(`${at}/t1/cancel`, undefined), 200);
    expect(cancelled.task.status).toBe("cancelled");
  });
});

describe("POST /api/workflows/{id}/tasks/{taskId}/cancel", () => {
  it("frees the slot of the agent that held the task at once", async () => {
    const { id } = await createWorkflow({});
    const at = `/api/workflows/${id}/tasks`;
    const { agent, token } = await registerAgent({ workflowIds: [id], maxConcurrency: 1 });
    await expectStatus(post(at, { id: "t1", type: "review", priority: "high" }), 201);
    await expectStatus(post(at, { id: "t2", type: "review" }), 201);
    const first = await expectStatus<Claims>(
      post(`${at}/claim`, { agentId: agent.id }, token),
      200,
    );
    expect(first.claims.map((claim) => claim.task.id)).toEqual(["t1"]);
    const full = await expectStatus<Claims>(post(`${at}/claim`, { agentId: agent.id }, token), 200);
    expect(full.claims).toEqual([]);
    const cancelled = await expectStatus<Change>(post(`${at}/t1/cancel`, undefined), 200);
    expect(cancelled.task.status).toBe("cancelled");
    const seen = await expectStatus<{ agent: AgentRecord }>(
      api(`/api/agents/${agent.id}`, { token: ADMIN }),
      200,
    );
    expect(seen.agent).toMatchObject({ status: "idle", leases: 0 });
    const next = await expectStatus<Claims>(post(`${at}/claim`, { agentId: agent.id }, token), 200);
    expect(next.claims.map((claim) => claim.task.id)).toEqual(["t2"]);
  });
});

describe("GET /api/workflows/{id}", () => {
  it("counts the workflow's agents and its tasks by status", async () => {
    const { id } = await createWorkflow({});
    const at = `/api/workflows/${id}/tasks`;
    const { agent, token } = await registerAgent({ workflowIds: [id] });
    await registerAgent();
    await expectStatus(post(at, { id: "a", type: "review" }), 201);
    await expectStatus(post(at, { id: "b", type: "review", dependsOn: ["a"] }), 201);
    await expectStatus(post(at, { id: "c", type: "review" }), 201);
    await expectStatus(post(`${at}/claim`, { agentId: agent.id }, token), 200);
    const read = await expectStatus(api(`/api/workflows/${id}`, { token: ADMIN }), 200);
    expect(read).toMatchObject({
      agentCount: 1,
      taskCounts: {
        pending: 1,
        ready: 1,
        claimed: 1,
        completed: 0,
        failed: 0,
        dead: 0,
        cancelled: 0,
      },
    });
  });
});

describe("bad input on the lease routes", () => {
  it("refuses malformed heartbeat, complete and fail bodies, and the task stays claimed", async () => {
    const { id } = await createWorkflow({});
    const at = `/api/workflows/${id}/tasks`;
    const { agent, token } = await registerAgent({ workflowIds: [id] });
    await expectStatus(post(at, { id: "t1", type: "review" }), 201);
    const { claims } = await expectStatus<Claims>(
      post(`${at}/claim`, { agentId: agent.id }, token),
      200,
    );
    const leaseId = claims[0]?.lease.id;
    const cases: [string, unknown, string][] = [
      ["heartbeat", {}, "/leaseId"],
      ["heartbeat", { leaseId, leaseMs: 999 }, "/leaseMs"],
      ["complete", { leaseId, extra: 1 }, "/extra"],
      ["fail", { leaseId }, "/error"],
      ["fail", { leaseId, error: "x", retryable: "no" }, "/retryable"],
    ];
    for (const [action, json, path] of cases) {
      const problem = await expectStatus<Problem>(post(`${at}/t1/${action}`, json, token), 422);
      expect(problem.errors?.[0]?.path, `${action} ${JSON.stringify(json)}`).toBe(path);
    }
    await expectStatus(post(`/api/workflows/${id}/tasks/claim`, { agentId: "a1" }), 422);
    const task = await expectStatus<Task>(api(`${at}/t1`, { token }), 200);
    expect(task).toMatchObject({ status: "claimed", assignee: agent.id, attempt: 1 });
  });
});

describe("boardCountedAgent", () => {
  it("names only an agent whose token is limited to this one workflow", () => {
    const as = (agentId: string | undefined, workflowIds: string[] | null) =>
      ({ agentId, workflowIds, role: "writer", author: "x" }) as unknown as Identity;
    expect(boardCountedAgent(as("ag_1", ["wf"]), "wf")).toBe("ag_1");
    expect(boardCountedAgent(as("ag_1", ["other"]), "wf")).toBeUndefined();
    expect(boardCountedAgent(as("ag_1", ["wf", "other"]), "wf")).toBeUndefined();
    expect(boardCountedAgent(as("ag_1", null), "wf")).toBeUndefined();
    expect(boardCountedAgent(as(undefined, ["wf"]), "wf")).toBeUndefined();
  });
});

import { env } from "cloudflare:workers";
import {
  type ChangeAck,
  type ChangeDelivery,
  type JsonObject,
  type Result,
  type SpawnedAgent,
  type StateEvent,
  unwrap,
} from "@chorus/core";
import { describe, expect, it } from "vitest";
import { createWorkflow, eventually, freshWorkflowId } from "./helpers.ts";

type Workflow = { workflowId: string };

/** The TestAgents entrypoint, typed as plain results (RPC stub types are too deep to narrow). */
interface TestAgentCalls {
  start(input: {
    workflowId: string;
    agentId: string;
    type: string;
    config: JsonObject;
    createdBy: string;
  }): Promise<Result<SpawnedAgent>>;
  receive(input: ChangeDelivery): Promise<Result<ChangeAck>>;
  stop(input: Workflow): Promise<Result<SpawnedAgent>>;
  info(input: Workflow): Promise<Result<SpawnedAgent | null>>;
  seen(input: Workflow): Promise<number[]>;
  runAlarm(input: Workflow): Promise<void>;
  alarmAt(input: Workflow): Promise<number | null>;
}

const agents = env.TEST_AGENTS as unknown as TestAgentCalls;

const agentIdOf = (n: number) => `ag_${n.toString(16).padStart(32, "0")}`;
let next = Math.floor(Math.random() * 1e9);

/** Starts the test agent for a fresh workflow with `config`. */
async function startAgent(config: JsonObject = {}) {
  const workflowId = freshWorkflowId();
  await createWorkflow(workflowId);
  const agentId = agentIdOf(next++);
  const agent = unwrap(
    await agents.start({
      workflowId,
      agentId,
      type: "test-agent",
      config,
      createdBy: "tester",
    }),
  );
  return { workflowId, agentId, agent };
}

function event(workflowId: string, version: number): StateEvent {
  return {
    workflowId,
    version,
    branch: "main",
    parents: version > 1 ? [version - 1] : [],
    author: "someone",
    changeDescription: "",
    timestamp: 1,
    checksum: "0".repeat(64),
    patch: [],
    changes: [],
  };
}

describe("BaseAgent", () => {
  it("registers with the coordinator with its capabilities, limited to its workflow", async () => {
    const { workflowId, agentId, agent } = await startAgent({ capabilities: ["test-work"] });
    expect(agent.status).toBe("running");
    const record = unwrap(await env.COORDINATOR.getAgent({ agentId }));
    expect(record).toMatchObject({
      type: "test-agent",
      capabilities: ["test-work"],
      workflowIds: [workflowId],
      maxConcurrency: 1,
    });
  });

  it("heartbeats from its alarm: the coordinator hears it and the alarm re-arms", async () => {
    const { workflowId, agentId } = await startAgent();
    const before = unwrap(await env.COORDINATOR.getAgent({ agentId })).lastSeenAt;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await agents.runAlarm({ workflowId });
    const after = unwrap(await env.COORDINATOR.getAgent({ agentId })).lastSeenAt;
    expect(after).toBeGreaterThan(before);
    expect(await agents.alarmAt({ workflowId })).toBeTypeOf("number");
    // Left to the runtime, the alarm keeps beating (every 200 ms in the tests).
    await eventually(
      async () => unwrap(await env.COORDINATOR.getAgent({ agentId })).lastSeenAt,
      (seen) => seen > after,
    );
  });

  it("hands each version to onChange once, in order, dropping repeats", async () => {
    const { workflowId } = await startAgent();
    const first = unwrap(
      await agents.receive({
        workflowId,
        events: [event(workflowId, 5), event(workflowId, 6)],
      }),
    );
    expect(first).toEqual({ upTo: 6 });
    const repeat = unwrap(
      await agents.receive({
        workflowId,
        events: [event(workflowId, 5), event(workflowId, 6), event(workflowId, 7)],
      }),
    );
    expect(repeat).toEqual({ upTo: 7 });
    await agents.runAlarm({ workflowId });
    expect(await agents.seen({ workflowId })).toEqual([5, 6, 7]);
    const info = unwrap(await agents.info({ workflowId }));
    expect(info?.metrics).toMatchObject({
      changesReceived: 3,
      duplicatesDropped: 2,
      changesHandled: 3,
    });
  });

  it("refuses a malformed delivery and takes nothing in", async () => {
    const { workflowId } = await startAgent();
    const refused = await agents.receive({ workflowId, events: [] });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", path: "/events" },
    });
    expect(unwrap(await agents.info({ workflowId }))?.appliedVersion).toBe(0);
  });

  it("claims tasks of its capabilities and completes them through their leases", async () => {
    const { workflowId, agentId } = await startAgent({ capabilities: ["test-work"] });
    unwrap(
      await env.COORDINATOR.createTask({
        workflowId,
        author: "tester",
        task: { id: "t1", type: "work", requiredCapabilities: ["test-work"] },
      }),
    );
    const done = await eventually(
      async () => unwrap(await env.STATE.getTask({ workflowId, taskId: "t1" })),
      (task) => task.status === "completed",
    );
    expect(done).toMatchObject({
      assignee: agentId,
      result: { handledBy: "test-agent", attempt: 1 },
    });
    expect(unwrap(await agents.info({ workflowId }))?.metrics.tasksCompleted).toBe(1);
  });

  it("fails a task whose handler throws into the task's retry path, then completes the retry", async () => {
    const { workflowId } = await startAgent({ capabilities: ["test-work"] });
    unwrap(
      await env.COORDINATOR.createTask({
        workflowId,
        author: "tester",
        task: {
          id: "t1",
          type: "work",
          requiredCapabilities: ["test-work"],
          input: { mode: "throw" },
        },
      }),
    );
    const done = await eventually(
      async () => unwrap(await env.STATE.getTask({ workflowId, taskId: "t1" })),
      (task) => task.status === "completed",
    );
    expect(done).toMatchObject({ attempt: 2, result: { attempt: 2 } });
    expect(unwrap(await agents.info({ workflowId }))?.metrics).toMatchObject({
      tasksFailed: 1,
      tasksCompleted: 1,
    });
  });

  it("a crash mid-task: the lease runs out and the retry is taken and completed", async () => {
    const { workflowId } = await startAgent({ capabilities: ["test-work"], leaseMs: 1000 });
    unwrap(
      await env.COORDINATOR.createTask({
        workflowId,
        author: "tester",
        task: {
          id: "t1",
          type: "work",
          requiredCapabilities: ["test-work"],
          input: { mode: "crash" },
        },
      }),
    );
    const done = await eventually(
      async () => unwrap(await env.STATE.getTask({ workflowId, taskId: "t1" })),
      (task) => task.status === "completed",
      20_000,
    );
    expect(done).toMatchObject({ attempt: 2, result: { attempt: 2 } });
  });

  it("stops cleanly: drains the task in hand, then deregisters and stops its alarm", async () => {
    const { workflowId, agentId } = await startAgent({ capabilities: ["test-work"] });
    unwrap(
      await env.COORDINATOR.createTask({
        workflowId,
        author: "tester",
        task: {
          id: "t1",
          type: "work",
          requiredCapabilities: ["test-work"],
          input: { mode: "hold", ms: 1500 },
        },
      }),
    );
    await eventually(
      async () => unwrap(await env.STATE.getTask({ workflowId, taskId: "t1" })),
      (task) => task.status === "claimed",
    );
    const draining = unwrap(await agents.stop({ workflowId }));
    expect(draining.status).toBe("draining");
    const done = await eventually(
      async () => unwrap(await env.STATE.getTask({ workflowId, taskId: "t1" })),
      (task) => task.status === "completed",
    );
    expect(done.attempt).toBe(1);
    const stopped = await eventually(
      async () => unwrap(await agents.info({ workflowId })),
      (agent) => agent?.status === "stopped",
    );
    expect(stopped?.metrics.tasksCompleted).toBe(1);
    expect(await env.COORDINATOR.getAgent({ agentId })).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
    expect(await agents.alarmAt({ workflowId })).toBeNull();
    // A stopped agent takes no more changes in.
    const ack = unwrap(await agents.receive({ workflowId, events: [event(workflowId, 9)] }));
    expect(ack).toEqual({ upTo: 9 });
    expect(unwrap(await agents.info({ workflowId }))?.appliedVersion).toBe(0);
  });
});

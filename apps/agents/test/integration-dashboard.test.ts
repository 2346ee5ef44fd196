import { env } from "cloudflare:workers";
import { type Overview, type Result, unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import {
  commitPatch,
  createWorkflow,
  eventually,
  freshWorkflowId,
  oneVersionDelivery,
} from "./helpers.ts";

/** Creates a workflow (version 1) and registers it as running, as the gateway does. */
async function runningWorkflow(): Promise<string> {
  const workflowId = freshWorkflowId("dash");
  await createWorkflow(workflowId);
  await register(workflowId);
  return workflowId;
}

/** Registers a running workflow with the coordinator. */
async function register(workflowId: string): Promise<void> {
  const now = Date.now();
  unwrap(
    (await env.COORDINATOR.registerWorkflow({
      record: {
        id: workflowId,
        name: `Dash ${workflowId.slice(-6)}`,
        status: "running",
        priority: "normal",
        tags: [],
        createdAt: now,
        updatedAt: now,
        createdBy: "tester",
      },
    })) as Result<unknown>,
  );
}

function versionsOf(overview: Overview, workflowId: string): number[] {
  return overview.activity
    .filter((entry) => entry.workflowId === workflowId)
    .map((entry) => entry.version);
}

async function overview(): Promise<Overview> {
  return unwrap(await env.DASHBOARD.overview());
}

/** A socket to the dashboard as the gateway opens it, and every message it got so far. */
async function openLive(): Promise<{ socket: WebSocket; messages: string[] }> {
  const response = await env.DASHBOARD.fetch("http://dashboard/live", {
    headers: { upgrade: "websocket" },
  });
  expect(response.status).toBe(101);
  const socket = response.webSocket;
  if (socket === null) throw new Error("no WebSocket in the 101 answer");
  const messages: string[] = [];
  socket.addEventListener("message", (event) => {
    if (typeof event.data === "string") messages.push(event.data);
  });
  socket.accept();
  return { socket, messages };
}

describe("IntegrationDashboard", () => {
  it("serves the figures a commit changed, learnt from the change delivery", async () => {
    const workflowId = await runningWorkflow();
    const first = await eventually(overview, (o) => versionsOf(o, workflowId).includes(1));
    expect(versionsOf(first, workflowId)).toEqual([1]);
    expect(first.workflows.byStatus.running).toBeGreaterThanOrEqual(1);

    // The sample is stored now: only the delivery of version 2 can make the dashboard read it.
    await commitPatch(workflowId, [{ op: "add", path: "/data/x", value: 1 }]);
    const tasksBefore = first.tasks.ready;
    unwrap(
      (await env.COORDINATOR.createTask({
        workflowId,
        author: "tester",
        task: { id: "t-dash", type: "build" },
      })) as Result<unknown>,
    );
    const after = await eventually(overview, (o) => versionsOf(o, workflowId).includes(3));
    expect(versionsOf(after, workflowId)).toEqual([3, 2, 1]);
    expect(after.tasks.ready).toBe(tasksBefore + 1);
    expect(after.rates.commitsPerMinute).toBeGreaterThanOrEqual(3 / 5);
  });

  it("pushes the overview to a connected socket after a commit, and answers ping", async () => {
    const workflowId = await runningWorkflow();
    await eventually(overview, (o) => versionsOf(o, workflowId).includes(1));
    const { socket, messages } = await openLive();
    // The overview as it is, at once.
    await eventually(
      async () => messages.length,
      (count) => count >= 1,
    );
    const initial = JSON.parse(messages[0] ?? "null") as Overview;
    expect(versionsOf(initial, workflowId)).toEqual([1]);

    const committedAt = Date.now();
    await commitPatch(workflowId, [{ op: "add", path: "/data/y", value: 2 }]);
    const pushed = await eventually(
      async () => messages.map((text) => JSON.parse(text) as Overview),
      (all) => all.some((o) => versionsOf(o, workflowId).includes(2)),
      5000,
    );
    const update = pushed.find((o) => versionsOf(o, workflowId).includes(2));
    expect(update?.generatedAt).toBeGreaterThanOrEqual(committedAt);

    socket.send("ping");
    await eventually(
      async () => messages.includes("pong"),
      (got) => got,
    );
    socket.close(1000, "done");
  });

  it("keeps serving the others' figures when a workflow cannot be read", async () => {
    // Registered, but its state manager holds nothing: every read of it fails.
    const missing = freshWorkflowId("dash-missing");
    await register(missing);
    const workflowId = await runningWorkflow();
    await commitPatch(workflowId, [{ op: "add", path: "/data/z", value: 3 }]);
    const served = await eventually(overview, (o) => versionsOf(o, workflowId).includes(2));
    expect(versionsOf(served, missing)).toEqual([]);
    expect(served.workflows.total).toBeGreaterThanOrEqual(2);
  });

  it("pauses the deliveries of a workflow it does not sample, and resumes it once picked", async () => {
    const workflowId = await runningWorkflow();
    // Twenty newer running workflows push it out of the sample (the newest twenty, active first).
    const newer: string[] = [];
    for (let i = 0; i < 20; i++) newer.push(await runningWorkflow());
    await overview();
    const paused = await env.DASHBOARD.deliverChanges(oneVersionDelivery(workflowId, 2));
    expect(paused).toEqual({ ok: true, value: { upTo: 2, pause: true } });
    const sampled = await env.DASHBOARD.deliverChanges(oneVersionDelivery(newer[0] ?? "", 2));
    expect(sampled).toEqual({ ok: true, value: { upTo: 2 } });
    // A real commit now: its delivery pauses the workflow at its state manager.
    await commitPatch(workflowId, [{ op: "add", path: "/data/early", value: 1 }]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // The newer ones complete: the workflow is picked again, resumed and read.
    for (const id of newer) {
      unwrap(
        (await env.COORDINATOR.updateWorkflow({
          workflowId: id,
          update: { status: "completed" },
          actor: "tester",
        })) as Result<unknown>,
      );
    }
    // The lists are read again once a second old.
    await eventually(overview, (o) => versionsOf(o, workflowId).includes(2));
    // Only a resumed delivery can tell the dashboard of version 3: its sample is read already.
    await commitPatch(workflowId, [{ op: "add", path: "/data/late", value: 2 }]);
    const served = await eventually(overview, (o) => versionsOf(o, workflowId).includes(3));
    expect(versionsOf(served, workflowId)).toEqual(expect.arrayContaining([1, 2, 3]));
  });

  it("pauses a sampled workflow while nobody looks, and reads it afresh when someone does", async () => {
    const workflowId = await runningWorkflow();
    expect(versionsOf(await overview(), workflowId)).toEqual([1]);
    const looked = await env.DASHBOARD.deliverChanges(oneVersionDelivery(workflowId, 2));
    expect(looked).toEqual({ ok: true, value: { upTo: 2 } });
    // DASHBOARD_QUIET_MS is 1.5 s in these tests: after it, with no page, nobody looks.
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const quiet = await env.DASHBOARD.deliverChanges(oneVersionDelivery(workflowId, 2));
    expect(quiet).toEqual({ ok: true, value: { upTo: 2, pause: true } });
    // This commit's delivery pauses the workflow at its state manager...
    await commitPatch(workflowId, [{ op: "add", path: "/data/unseen", value: 1 }]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // ...and the next overview resumes it and reads it afresh: version 2 is there at once.
    expect(versionsOf(await overview(), workflowId)).toEqual(expect.arrayContaining([1, 2]));
    // Resumed: the next commit is delivered and marks the sample stale again.
    await commitPatch(workflowId, [{ op: "add", path: "/data/seen", value: 2 }]);
    await eventually(overview, (o) => versionsOf(o, workflowId).includes(3));
  });

  it("refuses a malformed delivery with its path", async () => {
    const refused = (await env.DASHBOARD.deliverChanges({
      workflowId: "",
      events: [],
    } as never)) as Result<unknown>;
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.code).toBe("VALIDATION_FAILED");
  });

  it("answers 426 to a request that is no WebSocket upgrade", async () => {
    const response = await env.DASHBOARD.fetch("http://dashboard/live");
    expect(response.status).toBe(426);
  });
});

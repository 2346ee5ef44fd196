import { env } from "cloudflare:workers";
import { type CommitResult, type Result, type Review, type Task, unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { createWorkflow, eventually, freshWorkflowId, spawnedAgent } from "./helpers.ts";

const GATE = { paths: ["/data/release/**"] };

/** A gated workflow with its Review Manager running. */
async function managed(config?: Record<string, unknown>) {
  const workflowId = freshWorkflowId("rm");
  await createWorkflow(workflowId, { data: {} });
  unwrap(await env.STATE.configure({ workflowId, settings: { reviewGates: [GATE] } }));
  const { agent } = unwrap(
    await env.AGENTS.spawnAgent({
      workflowId,
      type: "review-manager",
      createdBy: "alice",
      ...(config === undefined ? {} : { config }),
    }),
  );
  return { workflowId, agent };
}

/** Commits a gated change as `author`; @returns the review it opened */
async function gatedCommit(workflowId: string, tag: string, author = "author"): Promise<string> {
  return (await gatedVersion(workflowId, tag, author)).reviewId;
}

/** Commits a gated change; @returns the review it opened and the version on its branch */
async function gatedVersion(workflowId: string, tag: string, author = "author") {
  const committed = unwrap(
    (await env.STATE.commit({
      workflowId,
      patch: [{ op: "add", path: "/data/release", value: { tag } }],
      author,
      changeDescription: `Release ${tag}`,
    })) as Result<CommitResult>,
  );
  const reviewId = committed.review?.id;
  if (reviewId === undefined) expect.fail("the gated commit opened no review");
  return { reviewId, version: committed.version };
}

async function taskOf(workflowId: string, reviewId: string): Promise<Task | undefined> {
  const read = (await env.STATE.getTask({
    workflowId,
    taskId: `review-${reviewId}`,
  })) as Result<Task>;
  return read.ok ? read.value : undefined;
}

async function reviewTasks(workflowId: string): Promise<Task[]> {
  const list = unwrap((await env.STATE.listTasks({ workflowId })) as Result<{ tasks: Task[] }>);
  return list.tasks.filter((task) => task.type === "review");
}

/** Registers an outside reviewer agent with a capability, limited to the workflow. */
async function reviewer(workflowId: string, capability: string): Promise<string> {
  const agentId = `ag_${crypto.randomUUID().replaceAll("-", "")}`;
  unwrap(
    await env.COORDINATOR.registerAgent({
      agentId,
      spec: {
        name: "reviewer",
        type: "reviewer",
        capabilities: [capability],
        workflowIds: [workflowId],
      },
      createdBy: "tester",
    }),
  );
  return agentId;
}

describe("the Review Manager", () => {
  it("refuses a bad config at its path", async () => {
    const workflowId = freshWorkflowId("rm");
    await createWorkflow(workflowId);
    const refused = await env.AGENTS.spawnAgent({
      workflowId,
      type: "review-manager",
      config: { capability: "", extra: 1 },
      createdBy: "alice",
    });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", path: "/config/capability" },
    });
    expect(unwrap(await env.AGENTS.listAgents({ workflowId }))).toEqual([]);
  });

  it("makes an open review a task that a reviewer claims, and completes it when the review merges", async () => {
    const { workflowId, agent } = await managed({ capability: "release-review", priority: "high" });
    const reviewId = await gatedCommit(workflowId, "v1");
    const task = await eventually(
      () => taskOf(workflowId, reviewId),
      (found) => found !== undefined,
    );
    expect(task).toMatchObject({
      id: `review-${reviewId}`,
      type: "review",
      status: "ready",
      priority: "high",
      requiredCapabilities: ["release-review"],
      input: {
        reviewId,
        branch: `review/${reviewId}`,
        into: "main",
        author: "author",
        gatedPaths: ["/data/release"],
        requiredApprovals: 1,
        href: `/api/workflows/${workflowId}/reviews/${reviewId}`,
      },
    });

    const reviewerId = await reviewer(workflowId, "release-review");
    const { claims } = unwrap(
      await env.COORDINATOR.claimTasks({ workflowId, agentId: reviewerId, max: 5 }),
    );
    expect(claims.map((claim) => claim.task.id)).toEqual([`review-${reviewId}`]);
    const approved = unwrap(
      (await env.STATE.approveReview({ workflowId, reviewId, author: "bob" })) as Result<Review>,
    );
    expect(approved.status).toBe("merged");

    const done = await eventually(
      () => taskOf(workflowId, reviewId),
      (found) => found?.status === "completed",
    );
    expect(done).toMatchObject({
      assignee: reviewerId,
      result: {
        reviewId,
        status: "merged",
        mergeVersion: approved.mergeVersion,
        approvedBy: ["bob"],
      },
    });
    // The reviewer's slot is free again.
    const leases = unwrap(await env.COORDINATOR.agentLeases({ agentId: reviewerId }));
    expect(leases.leases).toEqual([]);
    const described = await spawnedAgent(workflowId, agent.agentId);
    expect(described.metrics).toMatchObject({ reviewTasksCreated: 1, reviewTasksCompleted: 1 });
    expect(described.detail).toMatchObject({ open: [], completed: 1 });
  });

  it("cancels the task of a rejected review, claimed or not", async () => {
    const { workflowId } = await managed();
    const claimedReview = await gatedCommit(workflowId, "v1");
    await eventually(
      () => taskOf(workflowId, claimedReview),
      (found) => found !== undefined,
    );
    const reviewerId = await reviewer(workflowId, "review");
    unwrap(await env.COORDINATOR.claimTasks({ workflowId, agentId: reviewerId }));
    unwrap(await env.STATE.rejectReview({ workflowId, reviewId: claimedReview, author: "bob" }));
    await eventually(
      () => taskOf(workflowId, claimedReview),
      (found) => found?.status === "cancelled",
    );
    expect(unwrap(await env.COORDINATOR.agentLeases({ agentId: reviewerId })).leases).toEqual([]);

    // A review merged with nobody holding its task leaves no work: the task is cancelled too.
    const unclaimed = await gatedCommit(workflowId, "v2");
    await eventually(
      () => taskOf(workflowId, unclaimed),
      (found) => found?.status === "ready",
    );
    unwrap(await env.STATE.approveReview({ workflowId, reviewId: unclaimed, author: "bob" }));
    await eventually(
      () => taskOf(workflowId, unclaimed),
      (found) => found?.status === "cancelled",
    );
  });

  it("makes no second task for a change delivered again or a manager spawned again", async () => {
    const { workflowId, agent } = await managed();
    const { reviewId, version } = await gatedVersion(workflowId, "v1");
    await eventually(
      () => spawnedAgent(workflowId, agent.agentId),
      (found) => found.appliedVersion >= version.version && found.metrics.reviewTasksCreated === 1,
    );
    // The review branch's version handed over again, as an at-least-once outbox may.
    const event = {
      workflowId,
      version: version.version,
      branch: version.branch,
      parents: [1],
      author: version.author,
      changeDescription: version.changeDescription,
      timestamp: version.timestamp,
      checksum: version.checksum,
      patch: [{ op: "add" as const, path: "/data/release", value: { tag: "v1" } }],
      changes: [],
    };
    unwrap(await env.AGENTS.deliverChanges({ workflowId, events: [event] }));
    await eventually(
      () => spawnedAgent(workflowId, agent.agentId),
      (found) => (found.metrics.duplicatesDropped ?? 0) >= 1,
    );
    unwrap(await env.AGENTS.stopAgent({ workflowId, agentId: agent.agentId }));
    const again = unwrap(
      await env.AGENTS.spawnAgent({ workflowId, type: "review-manager", createdBy: "alice" }),
    );
    expect(again.agent.agentId).not.toBe(agent.agentId);
    // A later review shows the new manager ran through the earlier one too.
    const later = await gatedCommit(workflowId, "v2");
    await eventually(
      () => taskOf(workflowId, later),
      (found) => found !== undefined,
    );
    const tasks = await reviewTasks(workflowId);
    expect(tasks.map((task) => task.id).sort()).toEqual(
      [`review-${reviewId}`, `review-${later}`].sort(),
    );
    expect((await spawnedAgent(workflowId, again.agent.agentId)).metrics.reviewTasksCreated).toBe(
      1,
    );
  });
});

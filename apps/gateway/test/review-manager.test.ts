import type { Review, ReviewOpened, SpawnedAgentAnswer, Task, TaskClaims } from "@chorus/core";
import { describe, expect, it } from "vitest";
import {
  ADMIN,
  api,
  createWorkflow,
  expectStatus,
  issueToken,
  type Problem,
  registerAgent,
} from "./helpers.ts";

const post = (path: string, token: string, json: unknown = {}) =>
  api(path, { method: "POST", token, json });

/** A workflow gating `/data/release/**`, its Review Manager spawned, and an author's token. */
async function managed(config?: Record<string, unknown>) {
  const { id } = await createWorkflow();
  const at = `/api/workflows/${id}`;
  await expectStatus(
    api(`${at}/settings`, {
      method: "PATCH",
      token: ADMIN,
      json: { reviewGates: [{ paths: ["/data/release/**"] }] },
    }),
    200,
  );
  const spawned = await expectStatus<SpawnedAgentAnswer>(
    post(`${at}/agents`, ADMIN, { type: "review-manager", ...(config ? { config } : {}) }),
    201,
  );
  return { id, at, manager: spawned.agent, author: await issueToken("writer", [id]) };
}

/** A protected change by the author (a JSON Patch, so it merges with the task board's): 202. */
async function protectedCommit(at: string, token: string, tag: string): Promise<string> {
  const opened = await expectStatus<ReviewOpened>(
    api(`${at}/state`, {
      method: "PATCH",
      token,
      json: [{ op: "add", path: "/data", value: { release: { tag } } }],
      contentType: "application/json-patch+json",
    }),
    202,
  );
  return opened.review.id;
}

/** Reads a task until `done` holds of it (the manager acts from its alarm). */
async function taskWhen(at: string, taskId: string, done: (task: Task) => boolean): Promise<Task> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const response = await api(`${at}/tasks/${taskId}`, { token: ADMIN });
    const body = (await response.json()) as Task;
    if (response.status === 200 && done(body)) return body;
    if (Date.now() > deadline) expect.fail(`task ${taskId} still ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function reviewTasks(at: string): Promise<Task[]> {
  const { tasks } = await expectStatus<{ tasks: Task[] }>(
    api(`${at}/tasks`, { token: ADMIN }),
    200,
  );
  return tasks.filter((task) => task.type === "review");
}

describe("the Review Manager, through the gateway", () => {
  it("turns a protected commit's review into a task a reviewer claims, approves and sees completed", async () => {
    const { id, at, author } = await managed({ capability: "release-review" });
    const reviewId = await protectedCommit(at, author.token, "v1");
    const taskId = `review-${reviewId}`;
    const task = await taskWhen(at, taskId, (found) => found.status === "ready");
    expect(task).toMatchObject({
      type: "review",
      requiredCapabilities: ["release-review"],
      input: { reviewId, branch: `review/${reviewId}`, into: "main" },
    });

    // An agent without the capability gets nothing; the reviewer claims it by capability.
    const bystander = await registerAgent({ capabilities: ["other"], workflowIds: [id] });
    const none = await expectStatus<TaskClaims>(
      post(`${at}/tasks/claim`, bystander.token, { agentId: bystander.agent.id }),
      200,
    );
    expect(none.claims).toEqual([]);
    const reviewer = await registerAgent({
      capabilities: ["release-review"],
      workflowIds: [id],
    });
    const { claims } = await expectStatus<TaskClaims>(
      post(`${at}/tasks/claim`, reviewer.token, { agentId: reviewer.agent.id }),
      200,
    );
    expect(claims.map((claim) => claim.task.id)).toEqual([taskId]);

    const approved = await expectStatus<Review>(
      post(`${at}/reviews/${reviewId}/approve`, reviewer.token, { comment: "ok" }),
      200,
    );
    expect(approved).toMatchObject({
      status: "merged",
      approvedBy: [`agent:${reviewer.agent.id}`],
    });
    const done = await taskWhen(at, taskId, (found) => found.status === "completed");
    expect(done).toMatchObject({
      assignee: reviewer.agent.id,
      result: { reviewId, status: "merged", mergeVersion: approved.mergeVersion },
    });
    const head = await expectStatus<{ state: { data: unknown } }>(
      api(`${at}/state`, { token: ADMIN }),
      200,
    );
    expect(head.state.data).toEqual({ release: { tag: "v1" } });
  });

  it("cancels the task of a rejected review, and makes one task per review however often it runs", async () => {
    const { at, author } = await managed();
    const reviewId = await protectedCommit(at, author.token, "v1");
    const taskId = `review-${reviewId}`;
    await taskWhen(at, taskId, (found) => found.requiredCapabilities?.[0] === "review");
    // More changes (each delivered to the manager, each a run of it) make no second task.
    for (const step of [1, 2, 3]) {
      const patch = [{ op: "replace", path: "/metadata/counter", value: step }];
      await expectStatus(
        api(`${at}/state`, {
          method: "PATCH",
          token: author.token,
          json: patch,
          contentType: "application/json-patch+json",
        }),
        201,
      );
    }
    const reviewer = await issueToken("writer");
    await expectStatus<Review>(post(`${at}/reviews/${reviewId}/reject`, reviewer.token), 200);
    await taskWhen(at, taskId, (found) => found.status === "cancelled");
    expect((await reviewTasks(at)).map((task) => task.id)).toEqual([taskId]);
  });

  it("refuses a bad config at its path", async () => {
    const { id } = await createWorkflow();
    const problem = await expectStatus<Problem>(
      post(`/api/workflows/${id}/agents`, ADMIN, {
        type: "review-manager",
        config: { leaseMs: 5 },
      }),
      422,
    );
    expect(problem.errors?.[0]?.path).toBe("/config/leaseMs");
  });
});

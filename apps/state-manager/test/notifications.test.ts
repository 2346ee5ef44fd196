import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import type { StateManager } from "../src/state-manager.ts";
import { waitFor } from "./delivery-helpers.ts";
import { freshWorkflowId, sampleState, service, stubOf } from "./helpers.ts";

/** The fake Slack and GitHub APIs (test/fixtures/fake-notify), bound for reading what they got. */
const fake = (env as unknown as { FAKE_NOTIFY: Fetcher }).FAKE_NOTIFY;

interface Received {
  method: string;
  path: string;
  auth: string | null;
  body: { channel?: string; text?: string; state?: string; context?: string } | null;
}

async function received(): Promise<Received[]> {
  return (await fake.fetch("http://fake.test/__received")).json();
}

/** A workflow whose state names a commit, gated on `/data/release/**` with two approvals. */
async function gatedWorkflow() {
  const workflowId = freshWorkflowId("notify");
  const sha = (crypto.randomUUID() + crypto.randomUUID()).replaceAll("-", "").slice(0, 40);
  const state = sampleState({ metadata: { counter: 0, gitSha: sha } });
  unwrap(await service.create({ workflowId, state, author: "tester" }));
  unwrap(
    await service.configure({
      workflowId,
      settings: { reviewGates: [{ paths: ["/data/release/**"], approvals: 2 }] },
    }),
  );
  const opened = unwrap(
    await service.commit({
      workflowId,
      state: { ...state, data: { release: { tag: "v1" } } },
      author: "alice",
      changeDescription: "Release v1",
    }),
  );
  const reviewId = opened.review?.id ?? "";
  expect(reviewId).not.toBe("");
  const slack = async () =>
    (await received()).filter(
      (r) => r.path === "/slack/api/chat.postMessage" && r.body?.text?.includes(reviewId),
    );
  const github = async () =>
    (await received()).filter((r) => r.path === `/github/repos/acme/app/statuses/${sha}`);
  return { workflowId, reviewId, slack, github };
}

/** @returns how many notices wait in the object's outbox */
function pending(workflowId: string) {
  return runInDurableObject(
    stubOf(workflowId),
    (instance: StateManager) =>
      instance.storage.sql.exec("SELECT COUNT(*) AS n FROM review_notifications").one().n,
  );
}

describe("review notifications", () => {
  it("tell Slack and a GitHub commit status when a review opens, is approved and merges", async () => {
    const { workflowId, reviewId, slack, github } = await gatedWorkflow();
    unwrap(await service.approveReview({ workflowId, reviewId, author: "bob" }));
    const merged = unwrap(await service.approveReview({ workflowId, reviewId, author: "carol" }));
    expect(merged.status).toBe("merged");

    const messages = await waitFor(slack, (got) => got.length >= 3);
    expect(messages.map((m) => m.body?.text?.split(" ")[0])).toEqual([
      "Opened",
      "Approved",
      "Merged",
    ]);
    for (const message of messages) {
      expect(message).toMatchObject({ method: "POST", auth: "Bearer xoxb-test" });
      expect(message.body?.channel).toBe("#releases");
    }
    expect(messages[0]?.body?.text).toContain(`by alice: 2 approval(s) needed`);
    expect(messages[1]?.body?.text).toContain("1/2 by bob");
    expect(messages[2]?.body?.text).toContain(
      `as version ${merged.mergeVersion}, approved by bob, carol`,
    );
    const statuses = await waitFor(github, (got) => got.length >= 3);
    expect(statuses.map((s) => s.body?.state)).toEqual(["pending", "pending", "success"]);
    for (const status of statuses) {
      expect(status).toMatchObject({ auth: "Bearer ghp-test", body: { context: "chorus/review" } });
    }
    await waitFor(
      () => pending(workflowId),
      (n) => n === 0,
    );
  });

  it("retry a notifier that fails until it takes the notice, and tell a rejection", async () => {
    const { workflowId, reviewId, slack, github } = await gatedWorkflow();
    await waitFor(slack, (got) => got.length >= 1);
    await waitFor(github, (got) => got.length >= 1);
    // The next four requests fail: Slack rate-limits, GitHub errs.
    await fake.fetch("http://fake.test/__fail", {
      method: "POST",
      body: JSON.stringify({ count: 4 }),
    });
    unwrap(await service.rejectReview({ workflowId, reviewId, author: "bob", comment: "not yet" }));
    // Each notifier fails twice (the outbox sends Slack's notice, then GitHub's, each retry),
    // and takes the third attempt.
    const rejected = (got: Received[]) => got.filter((m) => m.body?.text?.startsWith("Rejected"));
    const messages = rejected(await waitFor(slack, (got) => rejected(got).length >= 3));
    expect(messages).toHaveLength(3);
    expect(messages[2]?.body?.text).toContain(`Rejected review "Release v1" (${reviewId})`);
    const failure = (got: Received[]) => got.filter((s) => s.body?.state === "failure");
    expect(failure(await waitFor(github, (got) => failure(got).length >= 3))).toHaveLength(3);
    await waitFor(
      () => pending(workflowId),
      (n) => n === 0,
    );
  });
});

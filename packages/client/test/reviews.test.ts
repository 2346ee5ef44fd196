// The review methods against the real local stack (gateway, coordinator, state manager and agents
// in workerd), started by useLocalStack (local-stack.ts).
import { describe, expect, it } from "vitest";
import {
  AuthError,
  ChorusClient,
  ConflictError,
  NotFoundError,
  ValidationError,
} from "../src/index.ts";
import { useLocalStack } from "./local-stack.ts";

const local = useLocalStack();

const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail("expected an error"),
    (error: unknown) => error,
  );

/** A workflow gating `/data/release/**` on main, and clients for its author and a reviewer. */
async function gated() {
  const { workflow } = await local.admin.createWorkflow({
    name: "reviews",
    initialState: { data: {} },
  });
  await local.admin.updateSettings(workflow.id, { reviewGates: [{ paths: ["/data/release/**"] }] });
  const as = async (name: string) => {
    const issued = await local.admin.createToken({
      name,
      role: "writer",
      workflowIds: [workflow.id],
    });
    return { client: new ChorusClient({ baseUrl: local.stack.url, token: issued.token }), name };
  };
  return { id: workflow.id, author: await as("author"), reviewer: await as("reviewer") };
}

describe("reviews", () => {
  it("lists, reads, comments on and approves a review a gated commit opened", async () => {
    const { id, author, reviewer } = await gated();
    const committed = await author.client.commit(id, {
      state: { data: { release: { tag: "v1" } } },
      baseVersion: 1,
      changeDescription: "Release v1",
    });
    const opened = committed.review;
    if (opened === undefined) return expect.fail("the gated commit opened no review");
    expect(opened.branch).toBe(`review/${opened.id}`);
    expect((await local.admin.getState(id)).state).toEqual({ data: {} });

    const listed = await reviewer.client.listReviews(id);
    expect(listed).toEqual([
      expect.objectContaining({ id: opened.id, status: "open", author: `token:${author.name}` }),
    ]);
    expect(await reviewer.client.listReviews(id, { status: "merged" })).toEqual([]);
    const detail = await reviewer.client.getReview(id, opened.id);
    expect(detail.diff.changes).toEqual([{ path: "/data/release", after: { tag: "v1" } }]);

    const commented = await reviewer.client.commentReview(id, opened.id, "Looks right");
    expect(commented.notes).toEqual([
      expect.objectContaining({
        kind: "comment",
        by: `token:${reviewer.name}`,
        body: "Looks right",
      }),
    ]);
    const own = await caught(author.client.approveReview(id, opened.id));
    expect(own).toBeInstanceOf(AuthError);
    expect(own).toMatchObject({ status: 403 });

    const approved = await reviewer.client.approveReview(id, opened.id, { comment: "Ship it" });
    expect(approved).toMatchObject({
      status: "merged",
      approvedBy: [`token:${reviewer.name}`],
      mergeVersion: expect.any(Number),
    });
    expect((await local.admin.getState(id)).state).toEqual({ data: { release: { tag: "v1" } } });
    const closed = await caught(reviewer.client.rejectReview(id, opened.id));
    expect(closed).toBeInstanceOf(ConflictError);
    expect(closed).toMatchObject({ code: "REVIEW_CLOSED" });
  });

  it("opens a review of a branch and rejects it; errors are typed", async () => {
    const { id, author, reviewer } = await gated();
    await local.admin.createBranch(id, { name: "draft" });
    await local.admin.commit(id, { state: { data: { release: { tag: "v2" } } }, branch: "draft" });
    const opened = await author.client.openReview(id, { branch: "draft", title: "v2" });
    expect(opened).toMatchObject({ branch: "draft", into: "main", status: "open", title: "v2" });
    const twice = await caught(author.client.openReview(id, { branch: "draft" }));
    expect(twice).toBeInstanceOf(ConflictError);

    const rejected = await reviewer.client.rejectReview(id, opened.id, { comment: "Not yet" });
    expect(rejected).toMatchObject({ status: "rejected" });
    expect(rejected.notes.at(-1)).toMatchObject({ kind: "rejection", body: "Not yet" });
    expect((await local.admin.getState(id)).state).toEqual({ data: {} });

    expect(await caught(local.admin.getReview(id, "no-such-review"))).toBeInstanceOf(NotFoundError);
    const empty = await caught(local.admin.commentReview(id, opened.id, ""));
    expect(empty).toBeInstanceOf(ValidationError);
  });
});

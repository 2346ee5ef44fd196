import type { Problem, Review, ReviewDetail, ReviewOpened } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { ADMIN, api, expectStatus, sampleState } from "./helpers.ts";
import { gated, mainState, post, reviews } from "./review-gates.ts";

describe("a protected commit", () => {
  it("opens a review (202) that two other identities approve, merging with the approvers recorded", async () => {
    const { at, author, alice, bob, reader } = await gated();
    const before = await mainState(at);
    const state = sampleState({ data: { release: { tag: "v1" } } });
    const response = await post(`${at}/state`, author.token, {
      state,
      baseVersion: 1,
      changeDescription: "Release v1",
    });
    const opened = await expectStatus<ReviewOpened>(response, 202);
    expect(opened.review.branch).toBe(`review/${opened.review.id}`);
    expect(opened.version).toMatchObject({
      branch: opened.review.branch,
      author: `token:${author.name}`,
    });
    expect(response.headers.get("location")).toBe(`${at}/reviews/${opened.review.id}`);
    // Nothing landed on main.
    expect(await mainState(at)).toEqual(before);

    const listed = await expectStatus<{ reviews: Review[] }>(
      api(`${at}/reviews`, { token: reader.token }),
      200,
    );
    expect(listed.reviews).toEqual([
      expect.objectContaining({
        id: opened.review.id,
        into: "main",
        status: "open",
        author: `token:${author.name}`,
        title: "Release v1",
        requiredApprovals: 2,
        gatedPaths: ["/data"],
        approvedBy: [],
      }),
    ]);
    const detail = await expectStatus<ReviewDetail>(
      api(`${at}/reviews/${opened.review.id}`, { token: reader.token }),
      200,
    );
    expect(detail.diff).toEqual({
      from: 1,
      to: opened.version.version,
      changes: [{ path: "/data", after: { release: { tag: "v1" } } }],
    });

    const self = await expectStatus<Problem>(
      post(`${at}/reviews/${opened.review.id}/approve`, author.token, {}),
      403,
    );
    expect(self.code).toBe("FORBIDDEN");
    const first = await expectStatus<Review>(
      post(`${at}/reviews/${opened.review.id}/approve`, alice.token, { comment: "looks right" }),
      200,
    );
    expect(first).toMatchObject({ status: "open", approvedBy: [`token:${alice.name}`] });
    // The same approver again is still one approval.
    const again = await expectStatus<Review>(
      post(`${at}/reviews/${opened.review.id}/approve`, alice.token),
      200,
    );
    expect(again.approvedBy).toEqual([`token:${alice.name}`]);
    expect(await mainState(at)).toEqual(before);

    const merged = await expectStatus<Review>(
      post(`${at}/reviews/${opened.review.id}/approve`, bob.token),
      200,
    );
    expect(merged).toMatchObject({
      status: "merged",
      approvedBy: [`token:${alice.name}`, `token:${bob.name}`],
    });
    const after = await mainState(at);
    expect(after.data).toEqual({ release: { tag: "v1" } });
    expect(after._version).toBe(merged.mergeVersion);

    const history = await expectStatus<{
      versions: Array<{ version: number; author: string; changeDescription: string }>;
    }>(api(`${at}/history?limit=1`, { token: reader.token }), 200);
    expect(history.versions[0]).toMatchObject({
      version: merged.mergeVersion,
      author: `token:${bob.name}`,
    });
    expect(history.versions[0]?.changeDescription).toContain(
      `approved by token:${alice.name}, token:${bob.name}`,
    );
    const audit = await expectStatus<{ entries: Array<{ action: string; detail: unknown }> }>(
      api(`${at}/audit`, { token: ADMIN }),
      200,
    );
    expect(audit.entries.find((e) => e.action === "review.merged")?.detail).toMatchObject({
      reviewId: opened.review.id,
      approvedBy: [`token:${alice.name}`, `token:${bob.name}`],
    });
    // A merged review takes no more approvals.
    const closed = await expectStatus<Problem>(
      post(`${at}/reviews/${opened.review.id}/approve`, alice.token),
      409,
    );
    expect(closed.code).toBe("REVIEW_CLOSED");
  });

  it("lands directly when it touches nothing protected, and a gated status transition opens a review", async () => {
    const { at, author } = await gated();
    await expectStatus(
      post(`${at}/state`, author.token, { state: sampleState({ status: "paused" }) }),
      201,
    );
    const opened = await expectStatus<ReviewOpened>(
      post(`${at}/state`, author.token, { state: sampleState({ status: "completed" }) }),
      202,
    );
    const [review] = await reviews(at);
    expect(review).toMatchObject({
      id: opened.review.id,
      gatedPaths: ["/status"],
      requiredApprovals: 1,
    });
    expect((await mainState(at)).status).toBe("paused");
  });

  it("is closed by a rejection: nothing merges, and it takes no approval after", async () => {
    const { at, author, alice, bob } = await gated();
    const opened = await expectStatus<ReviewOpened>(
      post(`${at}/state`, author.token, {
        state: sampleState({ data: { release: { tag: "v2" } } }),
      }),
      202,
    );
    const rid = opened.review.id;
    const commented = await expectStatus<Review>(
      post(`${at}/reviews/${rid}/comments`, bob.token, { body: "not this week" }),
      201,
    );
    expect(commented.notes).toEqual([
      expect.objectContaining({ kind: "comment", by: `token:${bob.name}`, body: "not this week" }),
    ]);
    const rejected = await expectStatus<Review>(
      post(`${at}/reviews/${rid}/reject`, bob.token, { comment: "hold" }),
      200,
    );
    expect(rejected.status).toBe("rejected");
    const problem = await expectStatus<Problem>(
      post(`${at}/reviews/${rid}/approve`, alice.token),
      409,
    );
    expect(problem.code).toBe("REVIEW_CLOSED");
    expect((await mainState(at)).data).toBeUndefined();
    expect((await reviews(at))[0]?.status).toBe("rejected");
  });

  it("answers a repeated Idempotency-Key with the same review", async () => {
    const { at, author } = await gated();
    const body = { state: sampleState({ data: { release: { tag: "v3" } } }) };
    const headers = { "idempotency-key": "release-v3" };
    const first = await expectStatus<ReviewOpened>(
      post(`${at}/state`, author.token, body, headers),
      202,
    );
    const replay = await post(`${at}/state`, author.token, body, headers);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await expectStatus<ReviewOpened>(replay, 202)).toEqual(first);
    expect(await reviews(at)).toHaveLength(1);
  });
});

describe("bad input on the review routes", () => {
  it.each([
    ["POST", "reviews", {}, 422, "/branch"],
    ["POST", "reviews", { branch: "a..b" }, 422, "/branch"],
    ["POST", "reviews", { branch: "nope" }, 404, "/branch"],
    ["POST", "reviews", { branch: "main" }, 422, "/into"],
    ["POST", "reviews", { branch: "main", extra: 1 }, 422, "/extra"],
    ["GET", "reviews?status=maybe", undefined, 422, "/query/status"],
    ["GET", "reviews/nope", undefined, 404, "/params/rid"],
    ["POST", "reviews/nope/approve", {}, 404, "/params/rid"],
    ["POST", "reviews/nope/reject", {}, 404, "/params/rid"],
    ["POST", "reviews/nope/comments", { body: "hi" }, 404, "/params/rid"],
    ["POST", "reviews/REVIEW/approve", { comment: 5 }, 422, "/comment"],
    ["POST", "reviews/REVIEW/approve", { verdict: "yes" }, 422, "/verdict"],
    ["POST", "reviews/REVIEW/reject", { comment: "" }, 422, "/comment"],
    ["POST", "reviews/REVIEW/comments", {}, 422, "/body"],
    ["POST", "reviews/REVIEW/comments", { body: "" }, 422, "/body"],
  ])(
    "answers %s .../%s %j with %i naming %s, changing nothing",
    async (method, suffix, json, status, path) => {
      const { at, author, alice } = await gated();
      const opened = await expectStatus<ReviewOpened>(
        post(`${at}/state`, author.token, {
          state: sampleState({ data: { release: { tag: "x" } } }),
        }),
        202,
      );
      const before = await reviews(at);
      const problem = await expectStatus<Problem>(
        api(`${at}/${suffix.replace("REVIEW", opened.review.id)}`, {
          method,
          token: alice.token,
          ...(json === undefined ? {} : { json }),
        }),
        status,
      );
      expect(problem.errors[0]?.path).toBe(path);
      expect(await reviews(at)).toEqual(before);
    },
  );

  it("refuses review writes to a reader and bad gates in the settings", async () => {
    const { id, at, author, reader } = await gated();
    const opened = await expectStatus<ReviewOpened>(
      post(`${at}/state`, author.token, {
        state: sampleState({ data: { release: { tag: "y" } } }),
      }),
      202,
    );
    for (const [suffix, json] of [
      ["approve", {}],
      ["reject", {}],
      ["comments", { body: "x" }],
    ] as const) {
      await expectStatus(
        post(`${at}/reviews/${opened.review.id}/${suffix}`, reader.token, json),
        403,
      );
    }
    expect((await reviews(at))[0]).toMatchObject({ status: "open", notes: [] });
    const before = await expectStatus(api(`/api/workflows/${id}/settings`, { token: ADMIN }), 200);
    for (const [gates, path] of [
      [[{ paths: ["release"] }], "/reviewGates/0/paths/0"],
      [[{}], "/reviewGates/0"],
      [[{ paths: ["/a"], approvals: 0 }], "/reviewGates/0/approvals"],
      [[{ transition: { path: "/status" } }], "/reviewGates/0/transition/to"],
    ] as const) {
      const problem = await expectStatus<Problem>(
        api(`/api/workflows/${id}/settings`, {
          method: "PATCH",
          token: ADMIN,
          json: { reviewGates: gates },
        }),
        422,
      );
      expect(problem.errors[0]?.path).toBe(path);
    }
    expect(await expectStatus(api(`/api/workflows/${id}/settings`, { token: ADMIN }), 200)).toEqual(
      before,
    );
  });
});

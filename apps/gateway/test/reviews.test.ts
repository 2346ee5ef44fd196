import {
  getAt,
  type Problem,
  type Review,
  type ReviewDetail,
  type ReviewOpened,
} from "@chorus/core";
import { describe, expect, it } from "vitest";
import { ADMIN, api, createWorkflow, expectStatus, issueToken, sampleState } from "./helpers.ts";

const RELEASE_GATE = { paths: ["/data/release/**"], approvals: 2 };
const STATUS_GATE = { transition: { path: "/status", to: "completed" } };

/** A workflow with review gates, and tokens for an author, two reviewers and a reader. */
async function gated(gates: unknown[] = [RELEASE_GATE, STATUS_GATE]) {
  const { id } = await createWorkflow();
  await expectStatus(
    api(`/api/workflows/${id}/settings`, {
      method: "PATCH",
      token: ADMIN,
      json: { reviewGates: gates },
    }),
    200,
  );
  const [author, alice, bob, reader] = await Promise.all([
    issueToken("writer"),
    issueToken("writer"),
    issueToken("writer"),
    issueToken("reader"),
  ]);
  const at = `/api/workflows/${id}`;
  return { id, at, author, alice, bob, reader };
}

const post = (path: string, token: string, json?: unknown, headers?: Record<string, string>) =>
  api(path, { method: "POST", token, ...(json === undefined ? {} : { json }), ...{ headers } });

async function mainState(at: string): Promise<Record<string, unknown>> {
  const read = await expectStatus<{ state: Record<string, unknown>; version: number }>(
    api(`${at}/state`, { token: ADMIN }),
    200,
  );
  return { ...read.state, _version: read.version };
}

async function reviews(at: string): Promise<Review[]> {
  return (await expectStatus<{ reviews: Review[] }>(api(`${at}/reviews`, { token: ADMIN }), 200))
    .reviews;
}

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

describe("the review gate cannot be bypassed", () => {
  const gate = [{ paths: ["/data/release/**"] }];

  it("diverts a JSON Patch commit and an admin's commit to reviews", async () => {
    const { at, author } = await gated(gate);
    const patched = await expectStatus<ReviewOpened>(
      api(`${at}/state?baseVersion=1`, {
        method: "PATCH",
        token: author.token,
        contentType: "application/json-patch+json",
        body: JSON.stringify([{ op: "add", path: "/data", value: { release: { tag: "p" } } }]),
      }),
      202,
    );
    const admin = await expectStatus<ReviewOpened>(
      post(`${at}/state`, ADMIN, { state: sampleState({ data: { release: { tag: "a" } } }) }),
      202,
    );
    expect(admin.review.id).not.toBe(patched.review.id);
    expect((await mainState(at)).data).toBeUndefined();
    // The admin made that change: the admin cannot approve it either.
    const self = await expectStatus<Problem>(
      post(`${at}/reviews/${admin.review.id}/approve`, ADMIN),
      403,
    );
    expect(self.code).toBe("FORBIDDEN");
  });

  it("refuses a branch merge into the protected path, which a review of the branch then merges", async () => {
    const { at, author, alice } = await gated(gate);
    await expectStatus(post(`${at}/branches`, author.token, { name: "feature" }), 201);
    await expectStatus(
      post(`${at}/state`, author.token, {
        state: sampleState({ data: { release: { tag: "f" } } }),
        branch: "feature",
      }),
      201,
    );
    const refused = await expectStatus<Problem>(
      post(`${at}/branches/feature/merge`, ADMIN, {}),
      409,
    );
    expect(refused).toMatchObject({
      code: "REVIEW_REQUIRED",
      branch: "main",
      gatedPaths: ["/data"],
    });
    expect((await mainState(at)).data).toBeUndefined();

    const review = await expectStatus<Review>(
      post(`${at}/reviews`, author.token, { branch: "feature", title: "Ship f" }),
      201,
    );
    expect(review).toMatchObject({
      branch: "feature",
      into: "main",
      title: "Ship f",
      gatedPaths: ["/data"],
    });
    await expectStatus<Problem>(post(`${at}/reviews`, alice.token, { branch: "feature" }), 409);
    const merged = await expectStatus<Review>(
      post(`${at}/reviews/${review.id}/approve`, alice.token),
      200,
    );
    expect(merged.status).toBe("merged");
    expect((await mainState(at)).data).toEqual({ release: { tag: "f" } });
  });

  it("refuses a snapshot restore that would change the protected path", async () => {
    const { at, author, alice } = await gated(gate);
    const snapshot = await expectStatus<{ id: string }>(
      post(`${at}/snapshots`, ADMIN, { version: 1 }),
      201,
    );
    const opened = await expectStatus<ReviewOpened>(
      post(`${at}/state`, author.token, {
        state: sampleState({ data: { release: { tag: "r" } } }),
      }),
      202,
    );
    await expectStatus(post(`${at}/reviews/${opened.review.id}/approve`, alice.token), 200);
    const before = await mainState(at);
    const refused = await expectStatus<Problem>(
      post(`${at}/restore`, ADMIN, { snapshotId: snapshot.id }),
      409,
    );
    expect(refused).toMatchObject({ code: "REVIEW_REQUIRED", gatedPaths: ["/data"] });
    expect(await mainState(at)).toEqual(before);
  });

  it("refuses a conflict resolution that sets a protected path", async () => {
    const { at } = await gated(gate);
    await expectStatus(
      post(`${at}/state`, ADMIN, {
        state: sampleState({ metadata: { counter: 1 } }),
        baseVersion: 1,
      }),
      201,
    );
    const conflict = await expectStatus<Problem>(
      post(`${at}/state`, ADMIN, {
        state: sampleState({ metadata: { counter: 2 } }),
        baseVersion: 1,
      }),
      409,
    );
    const before = await mainState(at);
    const refused = await expectStatus<Problem>(
      post(`${at}/conflicts/${conflict.conflictId}/resolve`, ADMIN, {
        resolution: { values: { "/metadata/counter": 3, "/data": { release: { tag: "sneaky" } } } },
      }),
      409,
    );
    expect(refused).toMatchObject({ code: "REVIEW_REQUIRED", gatedPaths: ["/data"] });
    expect(await mainState(at)).toEqual(before);
  });

  it("refuses a task transition under a protected path", async () => {
    const { at, author } = await gated([{ paths: ["/tasks/**"] }]);
    const tasks = () => expectStatus(api(`${at}/tasks`, { token: ADMIN }), 200);
    const before = await tasks();
    const refused = await expectStatus<Problem>(
      post(`${at}/tasks`, author.token, { id: crypto.randomUUID(), type: "build" }),
      409,
    );
    expect(refused.code).toBe("REVIEW_REQUIRED");
    expect(await tasks()).toEqual(before);
  });

  it("merges an approved review whose merge conflicts only through the conflict queue", async () => {
    const { at, author, alice } = await gated(gate);
    const open = (tag: string) =>
      expectStatus<ReviewOpened>(
        post(`${at}/state`, author.token, {
          state: sampleState({ data: { release: { tag } } }),
          baseVersion: 1,
        }),
        202,
      );
    const first = await open("one");
    const second = await open("two");
    await expectStatus(post(`${at}/reviews/${first.review.id}/approve`, alice.token), 200);
    const conflicted = await expectStatus<Review>(
      post(`${at}/reviews/${second.review.id}/approve`, alice.token),
      200,
    );
    expect(conflicted.status).toBe("conflicted");
    const conflictId = String(conflicted.conflictId);
    // A value nobody reviewed is refused, even as a resolution of the approved merge.
    const queued = await expectStatus<{
      conflicts: Array<{ id: string; conflicts: Array<{ path: string }> }>;
    }>(api(`${at}/conflicts?status=open`, { token: ADMIN }), 200);
    const paths =
      queued.conflicts.find((c) => c.id === conflictId)?.conflicts.map((c) => c.path) ?? [];
    expect(paths.length).toBeGreaterThan(0);
    const unreviewed = { data: { release: { tag: "three" } } };
    const values = Object.fromEntries(paths.map((path) => [path, getAt(unreviewed, path)]));
    const sneaky = await expectStatus<Problem>(
      post(`${at}/conflicts/${conflictId}/resolve`, ADMIN, { resolution: { values } }),
      409,
    );
    expect(sneaky.code).toBe("REVIEW_REQUIRED");
    await expectStatus(
      post(`${at}/conflicts/${conflictId}/resolve`, ADMIN, { resolution: "theirs" }),
      201,
    );
    expect((await mainState(at)).data).toEqual({ release: { tag: "two" } });
    const [latest] = (await reviews(at)).filter((r) => r.id === second.review.id);
    expect(latest).toMatchObject({ status: "merged" });
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

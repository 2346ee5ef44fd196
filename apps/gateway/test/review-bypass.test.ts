import { getAt, type Problem, type Review, type ReviewOpened } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { ADMIN, api, expectStatus, sampleState } from "./helpers.ts";
import { gated, mainState, post, reviews } from "./review-gates.ts";

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

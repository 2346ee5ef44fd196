import {
  ChorusError,
  type CommitResult,
  diff,
  type GateHit,
  gateHits,
  type JsonValue,
  type Review,
} from "@chorus/core";
import type { CommitInput } from "./inputs.ts";
import type { OpenReviewInput } from "./review-inputs.ts";
import type { StoredReview } from "./review-table.ts";
import { publicReview, reviewBase } from "./review-view.ts";
import { VersionStore } from "./version-store.ts";
import { prepareVersion, writeVersion } from "./version-writer.ts";
import type { WorkflowContext } from "./workflow-context.ts";

/**
 * Turns a commit that a review gate protects into a review: the write lands as the first version
 * of a new branch `review/<id>` forked where the write started (its base, or the head), and the
 * review waits there for approvals. Nothing changes on the protected branch.
 * @param ctx the workflow
 * @param input the commit
 * @param fork the version the write started from
 * @param state the state the write proposes
 * @param hits what the gates found
 * @returns the version on the review branch, with `review: { id, branch }`
 * @throws ChorusError `TOO_LARGE` past the branch limit
 */
export async function openCommitReview(
  ctx: WorkflowContext,
  input: CommitInput,
  fork: number,
  state: JsonValue,
  hits: GateHit[],
): Promise<CommitResult> {
  assertBranchRoom(ctx);
  const id = crypto.randomUUID();
  const branch = `review/${id}`;
  const prepared = await prepareVersion(ctx, {
    branch,
    parents: [fork],
    state,
    author: input.author,
    description: input.changeDescription,
    origin: "fast-forward",
  });
  const workflowId = ctx.workflowId();
  const toOutput = (row: typeof prepared.row): CommitResult => ({
    version: VersionStore.toStateVersion(row, workflowId),
    origin: "fast-forward",
    merged: [],
    resolved: [],
    replayed: false,
    review: { id, branch },
  });
  const row = writeVersion(ctx, prepared, (written) => {
    record(ctx, {
      id,
      branch,
      into: input.branch,
      author: input.author,
      title: input.changeDescription || `Change to "${input.branch}" by ${input.author}`,
      at: written.timestamp,
      hits,
    });
    if (input.idempotencyKey !== undefined) {
      ctx.idempotency.put(input.idempotencyKey, toOutput(written), written.timestamp);
    }
  });
  return toOutput(row);
}

/**
 * Opens a review of an existing branch against a protected one, for people: approvals merge it.
 * @param ctx the workflow
 * @param input the branch, the branch it merges into, a title and who opens it
 * @returns the review
 * @throws ChorusError `NOT_FOUND` for an unknown branch, `VALIDATION_FAILED` when there is
 *   nothing to review, `ALREADY_EXISTS` when the branch has an open review
 */
export async function openReview(ctx: WorkflowContext, input: OpenReviewInput): Promise<Review> {
  if (input.branch === input.into) {
    throw new ChorusError("VALIDATION_FAILED", "a branch cannot be reviewed into itself", {
      path: "/into",
    });
  }
  const head = ctx.branches.requireHead(input.branch, "/branch");
  ctx.branches.requireHead(input.into, "/into");
  const pending = ctx.reviews
    .list()
    .find((r) => r.branch === input.branch && (r.status === "open" || r.status === "conflicted"));
  if (pending !== undefined) {
    throw new ChorusError("ALREADY_EXISTS", `branch "${input.branch}" is under review already`, {
      path: "/branch",
      details: { reviewId: pending.id },
    });
  }
  const base = reviewBase(ctx, { into: input.into, mergeVersion: null }, head);
  if (base === head) {
    throw new ChorusError(
      "VALIDATION_FAILED",
      `"${input.into}" already contains "${input.branch}"`,
      {
        path: "/branch",
      },
    );
  }
  const before = await ctx.versions.stateAt(base);
  const after = await ctx.versions.stateAt(head);
  const hits = gateHits(ctx.settings().reviewGates, input.into, before, after, diff(before, after));
  const id = crypto.randomUUID();
  const at = ctx.now();
  const title = input.title ?? `Merge "${input.branch}" into "${input.into}"`;
  ctx.transaction(() =>
    record(ctx, {
      id,
      branch: input.branch,
      into: input.into,
      author: input.author,
      title,
      at,
      hits,
    }),
  );
  return publicReview(ctx, ctx.reviews.require(id));
}

// Inserts the review row and its audit entry; call inside the opening transaction.
function record(
  ctx: WorkflowContext,
  opened: {
    id: string;
    branch: string;
    into: string;
    author: string;
    title: string;
    at: number;
    hits: GateHit[];
  },
): void {
  const review: StoredReview = {
    id: opened.id,
    branch: opened.branch,
    into: opened.into,
    status: "open",
    author: opened.author,
    title: opened.title,
    createdAt: opened.at,
    updatedAt: opened.at,
    requiredApprovals: Math.max(1, ...opened.hits.map((hit) => hit.approvals)),
    gatedPaths: [...new Set(opened.hits.map((hit) => hit.path))],
    notes: [],
    mergeVersion: null,
    conflictId: null,
  };
  ctx.reviews.insert(review);
  const head = ctx.branches.requireHead(review.branch);
  ctx.notifications.record("opened", publicReview(ctx, review), head, opened.at);
  ctx.audit.append({
    at: opened.at,
    actor: opened.author,
    action: "review.opened",
    version: ctx.branches.head(opened.branch) ?? null,
    detail: { reviewId: review.id, branch: review.branch, into: review.into },
  });
}

function assertBranchRoom(ctx: WorkflowContext): void {
  const limit = ctx.settings().limits.maxBranches;
  if (ctx.branches.count() < limit) return;
  throw new ChorusError(
    "TOO_LARGE",
    `a workflow may have at most ${limit} branches, review branches included`,
    { path: "/branch" },
  );
}

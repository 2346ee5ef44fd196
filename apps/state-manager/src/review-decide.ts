import { ChorusError, type Review, type ReviewNote } from "@chorus/core";
import { mergeBranch } from "./branch-ops.ts";
import type { CommentReviewInput, DecideReviewInput } from "./review-inputs.ts";
import type { StoredReview } from "./review-table.ts";
import { publicReview } from "./review-view.ts";
import type { VersionRow } from "./version-store.ts";
import type { WorkflowContext } from "./workflow-context.ts";

/**
 * Approves a review's current head. Once the approvals of that head reach the number required,
 * the branch merges three-way into the protected branch, the approvers named in the merge
 * version's description and audit entry; a conflict is queued as usual and the review waits,
 * `conflicted`, until the conflict's resolution merges it.
 * @param ctx the workflow
 * @param input the review and the approver
 * @returns the review (merged once enough approvals are in)
 * @throws ChorusError `FORBIDDEN` for the change's author, `REVIEW_CLOSED` unless open
 */
export async function approveReview(
  ctx: WorkflowContext,
  input: DecideReviewInput,
): Promise<Review> {
  const review = requireOpen(ctx, input.reviewId, ["open"]);
  if (authorsOf(ctx, review).has(input.author)) {
    throw new ChorusError("FORBIDDEN", `${input.author} made this change and cannot approve it`, {
      details: { reviewId: review.id },
    });
  }
  const head = ctx.branches.requireHead(review.branch);
  const already = review.notes.some(
    (n) => n.kind === "approval" && n.by === input.author && n.head === head,
  );
  const next = already ? review : withNote(ctx, review, "approval", input.author, input.comment);
  const approvedBy = publicReview(ctx, next).approvedBy;
  if (approvedBy.length < next.requiredApprovals) {
    ctx.transaction(() => {
      ctx.reviews.update(next);
      audit(ctx, input.author, "review.approved", next, head);
      ctx.notifications.record("approved", publicReview(ctx, next), head, next.updatedAt);
    });
    return publicReview(ctx, next);
  }
  return merge(ctx, next, input.author, head, approvedBy);
}

/**
 * Rejects a review: it closes, nothing merges (its branch stays, as history does).
 * @throws ChorusError `REVIEW_CLOSED` once merged or rejected
 */
export function rejectReview(ctx: WorkflowContext, input: DecideReviewInput): Review {
  const review = requireOpen(ctx, input.reviewId, ["open", "conflicted"]);
  const next = { ...withNote(ctx, review, "rejection", input.author, input.comment) };
  next.status = "rejected";
  const head = ctx.branches.requireHead(next.branch);
  ctx.transaction(() => {
    ctx.reviews.update(next);
    audit(ctx, input.author, "review.rejected", next, head);
    ctx.notifications.record("rejected", publicReview(ctx, next), head, next.updatedAt);
  });
  return publicReview(ctx, next);
}

/** Comments on a review, in any state. */
export function commentReview(ctx: WorkflowContext, input: CommentReviewInput): Review {
  const review = ctx.reviews.require(input.reviewId);
  const next = withNote(ctx, review, "comment", input.author, input.body);
  ctx.transaction(() => ctx.reviews.update(next));
  return publicReview(ctx, next);
}

/** Marks a review merged by a version; call in that version's transaction. */
export function reviewMergedBy(ctx: WorkflowContext, review: StoredReview, row: VersionRow): void {
  const merged: StoredReview = {
    ...review,
    status: "merged",
    mergeVersion: row.version,
    updatedAt: row.timestamp,
  };
  ctx.reviews.update(merged);
  audit(ctx, row.author, "review.merged", merged, row.version);
  const head = ctx.branches.requireHead(review.branch);
  ctx.notifications.record("merged", publicReview(ctx, merged), head, row.timestamp);
}

async function merge(
  ctx: WorkflowContext,
  review: StoredReview,
  approver: string,
  head: number,
  approvedBy: string[],
): Promise<Review> {
  const description =
    `Merge review ${review.id}: ${review.title} (approved by ${approvedBy.join(", ")})`.slice(
      0,
      2000,
    );
  const approved = await ctx.versions.stateAt(head);
  try {
    await mergeBranch(
      ctx,
      {
        workflowId: ctx.workflowId(),
        source: review.branch,
        into: review.into,
        author: approver,
        changeDescription: description,
      },
      { approved, also: (row) => reviewMergedBy(ctx, review, row) },
    );
  } catch (error) {
    const conflictId =
      error instanceof ChorusError && error.code === "CONFLICT"
        ? (error.details as { conflictId?: string } | undefined)?.conflictId
        : undefined;
    const kept: StoredReview =
      conflictId === undefined ? review : { ...review, status: "conflicted", conflictId };
    // The approval stands whatever the merge did; a conflict waits in the queue.
    ctx.transaction(() => {
      ctx.reviews.update(kept);
      audit(ctx, approver, "review.approved", kept, head);
      ctx.notifications.record("approved", publicReview(ctx, kept), head, kept.updatedAt);
    });
    if (conflictId === undefined) throw error;
    return publicReview(ctx, kept);
  }
  return publicReview(ctx, ctx.reviews.require(review.id));
}

function requireOpen(
  ctx: WorkflowContext,
  id: string,
  allowed: ReadonlyArray<StoredReview["status"]>,
): StoredReview {
  const review = ctx.reviews.require(id);
  if (allowed.includes(review.status)) return review;
  const why =
    review.status === "conflicted"
      ? `its merge waits on conflict ${review.conflictId}: resolve that`
      : `it is ${review.status}`;
  throw new ChorusError("REVIEW_CLOSED", `review "${id}" cannot take this: ${why}`, {
    path: "/reviewId",
    details: { status: review.status, conflictId: review.conflictId },
  });
}

// Whoever made the change: the review's author and everyone who wrote on its branch.
function authorsOf(ctx: WorkflowContext, review: StoredReview): Set<string> {
  const authors = ctx.versions.select("WHERE branch = ?", review.branch).map((row) => row.author);
  return new Set([review.author, ...authors]);
}

function withNote(
  ctx: WorkflowContext,
  review: StoredReview,
  kind: ReviewNote["kind"],
  by: string,
  body: string | undefined,
): StoredReview {
  const at = ctx.now();
  const head = ctx.branches.requireHead(review.branch);
  const note: ReviewNote = { kind, by, at, head, ...(body === undefined ? {} : { body }) };
  return { ...review, notes: [...review.notes, note], updatedAt: at };
}

function audit(
  ctx: WorkflowContext,
  actor: string,
  action: string,
  review: StoredReview,
  version: number | null,
): void {
  ctx.audit.append({
    at: ctx.now(),
    actor,
    action,
    version,
    detail: {
      reviewId: review.id,
      branch: review.branch,
      into: review.into,
      approvedBy: publicReview(ctx, review).approvedBy,
    },
  });
}

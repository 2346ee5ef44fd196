import {
  diff,
  getAt,
  hasAt,
  type JsonValue,
  mergeBase,
  type Review,
  type ReviewChange,
  type ReviewDetail,
} from "@chorus/core";
import { graphNode } from "./branch-ops.ts";
import type { ListReviewsInput, ReviewRefInput } from "./review-inputs.ts";
import type { StoredReview } from "./review-table.ts";
import type { WorkflowContext } from "./workflow-context.ts";

/**
 * A stored review as the API shows it: with who approved the branch's current head (an approval
 * of an earlier head does not count once the branch has moved).
 */
export function publicReview(ctx: WorkflowContext, review: StoredReview): Review {
  const head = ctx.branches.head(review.branch);
  const approvedBy = [
    ...new Set(
      review.notes.filter((n) => n.kind === "approval" && n.head === head).map((n) => n.by),
    ),
  ];
  return { ...review, approvedBy };
}

/** @returns the workflow's reviews, newest first */
export function listReviews(ctx: WorkflowContext, input: ListReviewsInput): Review[] {
  return ctx.reviews.list(input.status).map((review) => publicReview(ctx, review));
}

/**
 * @returns the review with its diff: every changed path with its value before and after, from
 *   the merge-base with the protected branch (or the merge's parent, once merged) to the branch head
 */
export async function getReview(
  ctx: WorkflowContext,
  input: ReviewRefInput,
): Promise<ReviewDetail> {
  const review = ctx.reviews.require(input.reviewId);
  const to = ctx.branches.requireHead(review.branch);
  const from = reviewBase(ctx, review, to);
  const before = await ctx.versions.stateAt(from);
  const after = await ctx.versions.stateAt(to);
  return { ...publicReview(ctx, review), diff: { from, to, changes: changes(before, after) } };
}

/** @returns the version the review's change starts from */
export function reviewBase(
  ctx: WorkflowContext,
  review: Pick<StoredReview, "into" | "mergeVersion">,
  head: number,
): number {
  // Once merged, the protected branch contains the head: compare with the merge's first parent.
  const merged = review.mergeVersion === null ? undefined : ctx.versions.row(review.mergeVersion);
  const into = merged?.parents[0] ?? ctx.branches.requireHead(review.into);
  const base = mergeBase((id) => graphNode(ctx, id), String(head), String(into));
  return base === undefined ? head : Number(base);
}

function changes(before: JsonValue, after: JsonValue): ReviewChange[] {
  return diff(before, after).map((op) => ({
    path: op.path,
    ...(hasAt(before, op.path) ? { before: getAt(before, op.path) } : {}),
    ...(hasAt(after, op.path) ? { after: getAt(after, op.path) } : {}),
  }));
}

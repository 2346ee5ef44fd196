import { NewReview, ReviewDecision, ReviewStatus, ReviewText } from "@chorus/core";
import * as v from "valibot";

// The same bounds as inputs.ts, so every RPC addresses a workflow alike.
const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(128));
const Author = v.pipe(v.string(), v.minLength(1), v.maxLength(200));

/** Opens a review of an existing branch: the HTTP body with the workflow and opener beside it. */
export const OpenReviewInput = v.strictObject({
  workflowId: Id,
  author: Author,
  ...NewReview.entries,
});
export type OpenReviewInput = v.InferOutput<typeof OpenReviewInput>;
export type OpenReviewRequest = v.InferInput<typeof OpenReviewInput>;

/** Lists reviews, optionally of one status. */
export const ListReviewsInput = v.strictObject({
  workflowId: Id,
  status: v.optional(ReviewStatus),
});
export type ListReviewsInput = v.InferOutput<typeof ListReviewsInput>;
export type ListReviewsRequest = v.InferInput<typeof ListReviewsInput>;

/** Addresses one review. */
export const ReviewRefInput = v.strictObject({ workflowId: Id, reviewId: Id });
export type ReviewRefInput = v.InferOutput<typeof ReviewRefInput>;
export type ReviewRefRequest = v.InferInput<typeof ReviewRefInput>;

/** Approves or rejects a review: who decides, with an optional comment. */
export const DecideReviewInput = v.strictObject({
  workflowId: Id,
  reviewId: Id,
  author: Author,
  ...ReviewDecision.entries,
});
export type DecideReviewInput = v.InferOutput<typeof DecideReviewInput>;
export type DecideReviewRequest = v.InferInput<typeof DecideReviewInput>;

/** Comments on a review. */
export const CommentReviewInput = v.strictObject({
  workflowId: Id,
  reviewId: Id,
  author: Author,
  body: ReviewText,
});
export type CommentReviewInput = v.InferOutput<typeof CommentReviewInput>;
export type CommentReviewRequest = v.InferInput<typeof CommentReviewInput>;

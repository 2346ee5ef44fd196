import * as v from "valibot";
import { JsonData, JsonPointer } from "../json-patch.ts";
import { BranchName } from "./branch-name.ts";
import { Id, Timestamp, VersionNumber } from "./fields.ts";
import { StateVersion } from "./state-version.ts";

/** Where a review stands: `conflicted` is approved, its merge waiting in the conflict queue. */
export const ReviewStatus = v.picklist(["open", "conflicted", "merged", "rejected"]);

/** Where a review stands. */
export type ReviewStatus = v.InferOutput<typeof ReviewStatus>;

/** A review as a gated commit answers it (202): where the change went. */
export const ReviewRef = v.object({ id: Id, branch: BranchName });

/** A review as a gated commit answers it. */
export type ReviewRef = v.InferOutput<typeof ReviewRef>;

/** The answer to a commit a review gate turned into a review: `202 { review, version }`. */
export const ReviewOpened = v.object({
  review: ReviewRef,
  /** the change's version, on the review branch */
  version: StateVersion,
});

/** The answer to a commit a review gate turned into a review. */
export type ReviewOpened = v.InferOutput<typeof ReviewOpened>;

/** Comment text: 1 to 10000 characters. */
export const ReviewText = v.pipe(v.string(), v.minLength(1), v.maxLength(10_000));

/** One event of a review: an approval, a rejection or a comment, by whom and when. */
export const ReviewNote = v.object({
  kind: v.picklist(["approval", "rejection", "comment"]),
  by: Id,
  at: Timestamp,
  /** the comment, if any */
  body: v.optional(ReviewText),
  /** the review branch's head the note was made on (approvals count at the current head) */
  head: VersionNumber,
});

/** One event of a review. */
export type ReviewNote = v.InferOutput<typeof ReviewNote>;

/**
 * A review: a branch that changes protected paths of a protected branch, waiting for approvals
 * before it merges into it.
 */
export const Review = v.object({
  id: Id,
  /** the branch under review (`review/<id>` when a gated commit opened it) */
  branch: BranchName,
  /** the protected branch it merges into */
  into: BranchName,
  status: ReviewStatus,
  /** who made the change (a commit's author, or who opened the review); cannot approve it */
  author: Id,
  title: v.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  /** approvals needed: the most any gate the change hits asks for */
  requiredApprovals: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
  /** the protected paths the change touches when it was opened */
  gatedPaths: v.array(JsonPointer),
  /** who approved the current head */
  approvedBy: v.array(Id),
  notes: v.array(ReviewNote),
  /** the merge version once merged, else `null` */
  mergeVersion: v.nullable(VersionNumber),
  /** the queued conflict of an approved merge, else `null` */
  conflictId: v.nullable(Id),
});

/** A review. */
export type Review = v.InferOutput<typeof Review>;

/** One changed path of a review's diff, readable: its value before and after (absent: none). */
export const ReviewChange = v.object({
  path: JsonPointer,
  before: v.optional(JsonData),
  after: v.optional(JsonData),
});

/** One changed path of a review's diff. */
export type ReviewChange = v.InferOutput<typeof ReviewChange>;

/** A review with its diff: from the merge-base with the protected branch to the branch head. */
export const ReviewDetail = v.object({
  ...Review.entries,
  diff: v.object({
    from: VersionNumber,
    to: VersionNumber,
    changes: v.array(ReviewChange),
  }),
});

/** A review with its diff. */
export type ReviewDetail = v.InferOutput<typeof ReviewDetail>;

/** A workflow's reviews, newest first. */
export const ReviewList = v.object({ reviews: v.array(Review) });

/** A workflow's reviews, newest first. */
export type ReviewList = v.InferOutput<typeof ReviewList>;

/** Opening a review of an existing branch against a protected one. */
export const NewReview = v.strictObject({
  branch: BranchName,
  into: v.optional(BranchName, "main"),
  title: v.optional(v.pipe(v.string(), v.maxLength(200))),
});

/** Opening a review of an existing branch. */
export type NewReview = v.InferOutput<typeof NewReview>;

/** Opening a review of an existing branch, as it may be sent (`into` defaults to `main`). */
export type NewReviewInput = v.InferInput<typeof NewReview>;

/** An approval or a rejection, with an optional comment. */
export const ReviewDecision = v.strictObject({ comment: v.optional(ReviewText) });

/** An approval or a rejection. */
export type ReviewDecision = v.InferOutput<typeof ReviewDecision>;

/** A comment on a review. */
export const ReviewComment = v.strictObject({ body: ReviewText });

/** A comment on a review. */
export type ReviewComment = v.InferOutput<typeof ReviewComment>;

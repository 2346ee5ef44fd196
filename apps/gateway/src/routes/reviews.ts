import {
  NewReview,
  Review,
  ReviewComment,
  ReviewDecision,
  ReviewDetail,
  ReviewList,
  ReviewStatus,
} from "@chorus/core";
import * as v from "valibot";
import { problemSpec } from "../problem.ts";
import { json } from "../respond.ts";
import { defineRoute } from "../route.ts";
import { call } from "../rpc.ts";
import { ReviewPath, WorkflowPath } from "../schemas/params.ts";

const WORKFLOW = { "/workflowId": "/params/id" };
const REVIEW = { ...WORKFLOW, "/reviewId": "/params/rid" };
const TAG = "reviews";

/** `GET /api/workflows/{id}/reviews`: the workflow's reviews, newest first. */
export const listReviews = defineRoute({
  method: "GET",
  path: "/api/workflows/:id/reviews",
  operationId: "listReviews",
  summary: "List reviews",
  description: "Newest first, optionally only those of one `status`.",
  tag: TAG,
  access: "reader",
  params: WorkflowPath,
  query: v.object({ status: v.optional(ReviewStatus) }),
  responses: { 200: { description: "Newest first", schema: ReviewList } },
  async handle({ env, params, query }) {
    const reviews = await call(env.STATE.listReviews({ workflowId: params.id, ...query }), {
      ...WORKFLOW,
      "/status": "/query/status",
    });
    return json({ reviews });
  },
});

/** `POST /api/workflows/{id}/reviews`: open a review of an existing branch. */
export const openReview = defineRoute({
  method: "POST",
  path: "/api/workflows/:id/reviews",
  operationId: "openReview",
  summary: "Open a review of a branch",
  description:
    "Asks for approvals to merge `branch` into `into` (default `main`), for people: a commit " +
    "that a review gate protects opens its own review (202 from the commit). The opener counts " +
    "as an author of the change and cannot approve it.",
  tag: TAG,
  access: "writer",
  params: WorkflowPath,
  body: { schema: NewReview },
  responses: {
    201: { description: "The review", schema: Review, headers: { Location: "the review" } },
    409: problemSpec("The branch is under review already"),
  },
  async handle({ env, identity, params, body }) {
    const review = await call(
      env.STATE.openReview({ workflowId: params.id, author: identity.author, ...body }),
      WORKFLOW,
    );
    return json(review, 201, { location: reviewUrl(params.id, review.id) });
  },
});

/** `GET /api/workflows/{id}/reviews/{rid}`: one review with its diff. */
export const getReview = defineRoute({
  method: "GET",
  path: "/api/workflows/:id/reviews/:rid",
  operationId: "getReview",
  summary: "Read a review",
  description:
    "With its diff: every changed path with its value `before` and `after` (absent: none), " +
    "from the merge-base with the protected branch to the branch head.",
  tag: TAG,
  access: "reader",
  params: ReviewPath,
  responses: { 200: { description: "The review and its diff", schema: ReviewDetail } },
  async handle({ env, params }) {
    const review = await call(
      env.STATE.getReview({ workflowId: params.id, reviewId: params.rid }),
      REVIEW,
    );
    return json(review);
  },
});

/** `POST /api/workflows/{id}/reviews/{rid}/approve`: approve; enough approvals merge. */
export const approveReview = defineRoute({
  method: "POST",
  path: "/api/workflows/:id/reviews/:rid/approve",
  operationId: "approveReview",
  summary: "Approve a review",
  description:
    "Approves the branch's current head. With the approvals the gates require, the branch " +
    "merges three-way into the protected branch, the approvers named in the merge version's " +
    "`changeDescription`; a conflict is queued as usual and the review turns `conflicted` " +
    "until the conflict's resolution merges it. The author of the change cannot approve it (403).",
  tag: TAG,
  access: "writer",
  params: ReviewPath,
  body: { schema: ReviewDecision, optional: true },
  responses: {
    200: {
      description: "The review (`merged`, with `mergeVersion`, once approved)",
      schema: Review,
    },
    403: problemSpec("The caller is an author of the change (`FORBIDDEN`)"),
    409: problemSpec("The review is merged, rejected or waiting on its conflict"),
  },
  async handle({ env, identity, params, body }) {
    const input = { workflowId: params.id, reviewId: params.rid, author: identity.author };
    return json(await call(env.STATE.approveReview({ ...input, ...body }), REVIEW));
  },
});

/** `POST /api/workflows/{id}/reviews/{rid}/reject`: reject; the review closes. */
export const rejectReview = defineRoute({
  method: "POST",
  path: "/api/workflows/:id/reviews/:rid/reject",
  operationId: "rejectReview",
  summary: "Reject a review",
  description: "Closes the review; nothing merges. Its author may reject (withdraw) it too.",
  tag: TAG,
  access: "writer",
  params: ReviewPath,
  body: { schema: ReviewDecision, optional: true },
  responses: {
    200: { description: "The review, `rejected`", schema: Review },
    409: problemSpec("The review is merged or rejected already"),
  },
  async handle({ env, identity, params, body }) {
    const input = { workflowId: params.id, reviewId: params.rid, author: identity.author };
    return json(await call(env.STATE.rejectReview({ ...input, ...body }), REVIEW));
  },
});

/** `POST /api/workflows/{id}/reviews/{rid}/comments`: comment on a review. */
export const commentReview = defineRoute({
  method: "POST",
  path: "/api/workflows/:id/reviews/:rid/comments",
  operationId: "commentReview",
  summary: "Comment on a review",
  tag: TAG,
  access: "writer",
  params: ReviewPath,
  body: { schema: ReviewComment },
  responses: { 201: { description: "The review with the comment", schema: Review } },
  async handle({ env, identity, params, body }) {
    const input = { workflowId: params.id, reviewId: params.rid, author: identity.author };
    const review = await call(env.STATE.commentReview({ ...input, ...body }), REVIEW);
    return json(review, 201, { location: reviewUrl(params.id, review.id) });
  },
});

function reviewUrl(workflowId: string, reviewId: string): string {
  return `/api/workflows/${encodeURIComponent(workflowId)}/reviews/${encodeURIComponent(reviewId)}`;
}

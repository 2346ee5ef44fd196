import type { NewTaskInput, Review, ReviewManagerConfig } from "@chorus/core";

/** The type of every task the Review Manager creates. */
export const REVIEW_TASK_TYPE = "review";

/**
 * The task id of a review: derived from the review id, so creating it again (a redelivered
 * change, a restarted manager) is the task board's replay, never a second task.
 * @param reviewId the review
 * @returns `review-<reviewId>`
 */
export function reviewTaskId(reviewId: string): string {
  return `review-${reviewId}`;
}

/**
 * The task that asks a reviewer for a review: claimable by the configured capability, its input
 * naming the review and where to read it. Only what stays fixed for the review's life goes in,
 * so the body, and with it the replay, is the same at every creation.
 * @param workflowId the review's workflow
 * @param review the open review
 * @param config the manager's config, defaults applied
 * @returns the create body (core's `NewTask`)
 */
export function reviewTask(
  workflowId: string,
  review: Review,
  config: ReviewManagerConfig,
): NewTaskInput & { id: string } {
  return {
    id: reviewTaskId(review.id),
    type: REVIEW_TASK_TYPE,
    title: `Review: ${review.title}`.slice(0, 500),
    input: {
      reviewId: review.id,
      branch: review.branch,
      into: review.into,
      author: review.author,
      gatedPaths: review.gatedPaths,
      requiredApprovals: review.requiredApprovals,
      href: `/api/workflows/${encodeURIComponent(workflowId)}/reviews/${encodeURIComponent(review.id)}`,
    },
    requiredCapabilities: [config.capability],
    priority: config.priority,
    leaseMs: config.leaseMs,
  };
}

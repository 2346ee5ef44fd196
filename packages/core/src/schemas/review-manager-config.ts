import * as v from "valibot";
import { LeaseMs, TaskPriority } from "./task.ts";

/** The capability a review task requires unless the Review Manager's config names another. */
export const DEFAULT_REVIEW_CAPABILITY = "review";

/**
 * How a workflow's Review Manager turns open reviews into tasks, the `config` of
 * `POST /api/workflows/{id}/agents { type: "review-manager", config }`. Every member has a
 * default, so no config at all is a valid one.
 *
 * @example
 * v.parse(ReviewManagerConfig, { capability: "legal-review", priority: "high" });
 */
export const ReviewManagerConfig = v.strictObject({
  /** the capability an agent must have to claim a review task */
  capability: v.optional(
    v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
    DEFAULT_REVIEW_CAPABILITY,
  ),
  /** how urgent review tasks are among the workflow's other tasks */
  priority: v.optional(TaskPriority, "normal"),
  /** how long a reviewer's lease on a review task lasts without a heartbeat */
  leaseMs: v.optional(LeaseMs, 300_000),
});

/** How a workflow's Review Manager turns open reviews into tasks, defaults applied. */
export type ReviewManagerConfig = v.InferOutput<typeof ReviewManagerConfig>;

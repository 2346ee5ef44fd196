import {
  ChorusError,
  gateHits,
  isProtectedBranch,
  type JsonPatch,
  type JsonValue,
  matchesApproved,
} from "@chorus/core";
import type { WorkflowContext } from "./workflow-context.ts";

/** A write the gate checks: its branch, the states either side and the change between them. */
export interface GatedWrite {
  branch: string;
  before: JsonValue;
  after: JsonValue;
  patch: JsonPatch;
  /**
   * the state an approved review holds: the write may bring its values, and only its values, to
   * gated paths (an approved review's merge, or the resolution of its merge's conflict)
   */
  approved?: JsonValue | undefined;
}

/**
 * The invariant of review gates, checked on every version before it is written (in the write
 * queue, so nothing goes around it): a protected path of a protected branch changes only
 * through an approved review. Plain commits divert to a review before they get here; every
 * other write (task transitions, merges, restores, resolutions) is refused.
 * @param ctx the workflow
 * @param write the version about to be written
 * @throws ChorusError `REVIEW_REQUIRED`, `details.gatedPaths` naming what needs a review
 */
export function assertReviewed(ctx: WorkflowContext, write: GatedWrite): void {
  const gates = ctx.settings().reviewGates;
  if (!isProtectedBranch(gates, write.branch)) return;
  const hits = gateHits(gates, write.branch, write.before, write.after, write.patch);
  if (hits.length === 0) return;
  if (write.approved !== undefined && matchesApproved(hits, write.after, write.approved)) return;
  const gatedPaths = [...new Set(hits.map((hit) => hit.path))];
  throw new ChorusError(
    "REVIEW_REQUIRED",
    `"${write.branch}" is protected: ${gatedPaths.slice(0, 5).join(", ")} change only through ` +
      "an approved review (commit the change to open one, or POST …/reviews for a branch)",
    { details: { branch: write.branch, gatedPaths } },
  );
}

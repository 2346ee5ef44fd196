import * as v from "valibot";
import { ResolvedConflict } from "../conflict.ts";
import { JsonPointer } from "../json-patch.ts";
import { CommitOrigin } from "./commit-origin.ts";
import { ReviewRef } from "./review.ts";
import { StateVersion } from "./state-version.ts";

/** What a commit, merge, restore, resolution or creation returns: the new version and how. */
export const CommitResult = v.object({
  version: StateVersion,
  /** how the version came about */
  origin: CommitOrigin,
  /** where a three-way merge took one side's change cleanly: the highest path only that side changed */
  merged: v.array(JsonPointer),
  /** conflicts a strategy settled, with the strategy's name */
  resolved: v.array(ResolvedConflict),
  /** true when an `Idempotency-Key` matched an earlier commit, whose result this is */
  replayed: v.boolean(),
  /**
   * present when a review gate diverted the write: it landed on this review branch, not on the
   * branch it named (HTTP answers 202 `{ review, version }`)
   */
  review: v.optional(ReviewRef),
});

/** What a commit, merge, restore, resolution or creation returns. */
export type CommitResult = v.InferOutput<typeof CommitResult>;

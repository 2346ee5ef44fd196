import * as v from "valibot";
import { JsonData } from "../json-patch.ts";
import { BranchName } from "./branch-name.ts";

const Glob = v.pipe(v.string(), v.regex(/^(\/.*)?$/, "a pointer glob starts with /"));

/** A status transition a gate protects: the value at `path` (a pointer glob) becoming `to`. */
export const GatedTransition = v.strictObject({
  /** pointer glob of the values watched, e.g. `/status` or `/tasks/*\/status` */
  path: Glob,
  /** the value whose arrival needs a review */
  to: JsonData,
  /** only a change from this value (any other value when absent) */
  from: v.optional(JsonData),
});

/** A status transition a gate protects. */
export type GatedTransition = v.InferOutput<typeof GatedTransition>;

/**
 * A review gate: changes on a protected branch to a protected path (or a protected status
 * transition) land only through a review with enough approvals.
 * @example
 * v.parse(ReviewGate, { paths: ["/data/release/**"], approvals: 2 });
 * v.parse(ReviewGate, { transition: { path: "/status", to: "completed" } });
 */
export const ReviewGate = v.pipe(
  v.strictObject({
    /** the protected branches */
    branches: v.optional(v.pipe(v.array(BranchName), v.minLength(1), v.maxLength(20)), ["main"]),
    /** pointer globs of protected paths: a change at, above or below one is gated */
    paths: v.optional(v.pipe(v.array(Glob), v.minLength(1), v.maxLength(50))),
    /** a protected status transition */
    transition: v.optional(GatedTransition),
    /** approvals a gated change needs before it merges */
    approvals: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(20)), 1),
  }),
  v.check(
    (gate) => (gate.paths === undefined) !== (gate.transition === undefined),
    "Invalid review gate: give either paths or a transition",
  ),
);

/** A review gate with its defaults applied. */
export type ReviewGate = v.InferOutput<typeof ReviewGate>;

import * as v from "valibot";
import { ArchivePolicy, DEFAULT_ARCHIVE_POLICY } from "./archive-policy.ts";
import { ReviewGate } from "./review-gate.ts";

const Positive = v.pipe(v.number(), v.safeInteger(), v.minValue(1));
const StrategyName = v.pipe(v.string(), v.minLength(1), v.maxLength(100));
const KeyframeInterval = v.pipe(Positive, v.maxValue(1000));
const UnbasedWrites = v.picklist(["last-writer-wins", "reject"]);

/** Limits a commit must respect; exceeding one is `TOO_LARGE` and nothing is written. */
export const Limits = v.strictObject({
  /** canonical JSON bytes of a whole state */
  maxStateBytes: v.optional(Positive, 1024 * 1024),
  /** operations in one JSON Patch commit */
  maxPatchOps: v.optional(Positive, 10_000),
  /** branches per workflow, `main` included */
  maxBranches: v.optional(Positive, 100),
});
/** Limits with defaults applied. */
export type Limits = v.InferOutput<typeof Limits>;

/** A per-path merge rule: conflicts at paths matching the pointer glob use the strategy. */
export const MergeRule = v.strictObject({
  path: v.pipe(v.string(), v.regex(/^(\/.*)?$/, "a pointer glob starts with /")),
  strategy: StrategyName,
});
/** A per-path merge rule. */
export type MergeRule = v.InferOutput<typeof MergeRule>;

/** How one workflow's state manager behaves; every member has a default. */
export const WorkflowSettings = v.strictObject({
  /** strategy for conflicts no rule matches */
  defaultStrategy: v.optional(StrategyName, "reject"),
  /** per-path strategies, first match wins */
  rules: v.optional(v.array(MergeRule), []),
  /** what a write without `baseVersion` (or `If-Match`) means */
  unbasedWrites: v.optional(UnbasedWrites, "last-writer-wins"),
  /** a full state every this many versions along a chain; patches in between */
  keyframeInterval: v.optional(KeyframeInterval, 32),
  archivePolicy: v.optional(ArchivePolicy, DEFAULT_ARCHIVE_POLICY),
  limits: v.optional(Limits, {}),
  /** review gates: protected branches and paths (or transitions) and the approvals they need */
  reviewGates: v.optional(v.pipe(v.array(ReviewGate), v.maxLength(50)), []),
});
/** Settings with defaults applied. */
export type WorkflowSettings = v.InferOutput<typeof WorkflowSettings>;

/** A partial update of the settings: only the members to change, each validated. */
export const SettingsPatch = v.strictObject({
  defaultStrategy: v.optional(StrategyName),
  rules: v.optional(v.array(MergeRule)),
  unbasedWrites: v.optional(UnbasedWrites),
  keyframeInterval: v.optional(KeyframeInterval),
  archivePolicy: v.optional(v.partial(ArchivePolicy)),
  limits: v.optional(
    v.partial(
      v.strictObject({ maxStateBytes: Positive, maxPatchOps: Positive, maxBranches: Positive }),
    ),
  ),
  reviewGates: v.optional(v.pipe(v.array(ReviewGate), v.maxLength(50))),
});
/** A partial update of the settings. */
export type SettingsPatch = v.InferOutput<typeof SettingsPatch>;

/** A partial update of the settings as it may be sent (a review gate's defaults left out). */
export type SettingsPatchInput = v.InferInput<typeof SettingsPatch>;

import { ArchivePolicy } from "@chorus/core";
import * as v from "valibot";

const Strategy = v.pipe(v.string(), v.minLength(1), v.maxLength(100));
const Positive = v.pipe(v.number(), v.safeInteger(), v.minValue(1));

/**
 * The body of `PATCH .../settings`: the members to change. The state manager checks the
 * strategy names and pointer globs; this checks shapes and ranges at the edge.
 */
export const SettingsPatch = v.strictObject({
  defaultStrategy: v.optional(Strategy),
  rules: v.optional(
    v.array(
      v.strictObject({
        path: v.pipe(v.string(), v.regex(/^(\/.*)?$/, "a pointer glob starts with /")),
        strategy: Strategy,
      }),
    ),
  ),
  unbasedWrites: v.optional(v.picklist(["last-writer-wins", "reject"])),
  keyframeInterval: v.optional(v.pipe(Positive, v.maxValue(1000))),
  archivePolicy: v.optional(v.partial(ArchivePolicy)),
  limits: v.optional(
    v.partial(
      v.strictObject({ maxStateBytes: Positive, maxPatchOps: Positive, maxBranches: Positive }),
    ),
  ),
});

/** A workflow's settings in force, every member filled in. */
export const Settings = v.object({
  defaultStrategy: v.string(),
  rules: v.array(v.object({ path: v.string(), strategy: v.string() })),
  unbasedWrites: v.picklist(["last-writer-wins", "reject"]),
  keyframeInterval: v.number(),
  archivePolicy: v.object({
    maxVersionsPerWorkflow: v.number(),
    archiveAfterDays: v.number(),
    compressionEnabled: v.boolean(),
    r2ArchiveEnabled: v.boolean(),
  }),
  limits: v.object({ maxStateBytes: v.number(), maxPatchOps: v.number(), maxBranches: v.number() }),
});

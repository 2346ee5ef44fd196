import * as v from "valibot";

/**
 * When a workflow's old versions leave hot storage: every member is optional, and an unknown one
 * is refused so a misspelt setting is not silently ignored.
 */
export const ArchivePolicy = v.strictObject({
  /** versions kept per workflow before the oldest are archived */
  maxVersionsPerWorkflow: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1)), 100),
  /** age in days after which a version is archived */
  archiveAfterDays: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0)), 30),
  /** whether archived versions are compressed */
  compressionEnabled: v.optional(v.boolean(), true),
  /** whether archived versions go to R2 (otherwise they are dropped) */
  r2ArchiveEnabled: v.optional(v.boolean(), true),
});

/** When a workflow's old versions leave hot storage, with defaults applied. */
export type ArchivePolicy = v.InferOutput<typeof ArchivePolicy>;

/** The policy when none is configured: keep 100 versions, archive after 30 days to R2, compressed. */
export const DEFAULT_ARCHIVE_POLICY: Readonly<ArchivePolicy> = Object.freeze(
  v.parse(ArchivePolicy, {}),
);

import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { validate } from "../validate.ts";
import { ArchivePolicy, DEFAULT_ARCHIVE_POLICY } from "./archive-policy.ts";

describe("ArchivePolicy", () => {
  it("defaults to 100 versions, 30 days, compressed, to R2", () => {
    expect(DEFAULT_ARCHIVE_POLICY).toEqual({
      maxVersionsPerWorkflow: 100,
      archiveAfterDays: 30,
      compressionEnabled: true,
      r2ArchiveEnabled: true,
    });
    expect(Object.isFrozen(DEFAULT_ARCHIVE_POLICY)).toBe(true);
  });

  it("fills in only the members left out", () => {
    expect(v.parse(ArchivePolicy, { archiveAfterDays: 0.5, r2ArchiveEnabled: false })).toEqual({
      ...DEFAULT_ARCHIVE_POLICY,
      archiveAfterDays: 0.5,
      r2ArchiveEnabled: false,
    });
  });

  it("refuses out-of-range values and misspelt settings", () => {
    const result = validate(ArchivePolicy, {
      maxVersionsPerWorkflow: 0,
      archiveAfterDays: -1,
      compresionEnabled: false,
    });
    expect(result.success === false && result.issues.map((issue) => issue.path)).toEqual([
      "/maxVersionsPerWorkflow",
      "/archiveAfterDays",
      "/compresionEnabled",
    ]);
  });
});

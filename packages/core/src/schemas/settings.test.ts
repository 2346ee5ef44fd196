import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { validate } from "../validate.ts";
import { SettingsPatch, WorkflowSettings } from "./settings.ts";

describe("workflow settings", () => {
  it("fills every member with its default", () => {
    expect(v.parse(WorkflowSettings, {})).toEqual({
      defaultStrategy: "reject",
      rules: [],
      unbasedWrites: "last-writer-wins",
      keyframeInterval: 32,
      archivePolicy: {
        maxVersionsPerWorkflow: 100,
        archiveAfterDays: 30,
        compressionEnabled: true,
        r2ArchiveEnabled: true,
      },
      limits: { maxStateBytes: 1048576, maxPatchOps: 10000, maxBranches: 100 },
      reviewGates: [],
    });
  });

  it("reports each bad member of a partial update at its path", () => {
    const result = validate(SettingsPatch, {
      keyframeInterval: 0,
      rules: [{ path: "tasks", strategy: "ours" }],
      limits: { maxBranches: 1.5 },
      stray: true,
    });
    expect(result.success).toBe(false);
    const paths = result.success ? [] : result.issues.map((issue) => issue.path).sort();
    expect(paths).toEqual(["/keyframeInterval", "/limits/maxBranches", "/rules/0/path", "/stray"]);
  });
});

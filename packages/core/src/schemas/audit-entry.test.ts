import { describe, expect, it } from "vitest";
import { validate } from "../validate.ts";
import { AuditEntry } from "./audit-entry.ts";

const entry = {
  seq: 12,
  at: 1_764_000_000_000,
  actor: "planner-1",
  action: "branch.created",
  version: 7,
  detail: { branch: "agents/planner-1", from: 3 },
};

describe("AuditEntry", () => {
  it("accepts an entry, and one that touched no version", () => {
    expect(validate(AuditEntry, entry)).toEqual({ success: true, output: entry });
    const versionless = { ...entry, version: null, detail: null };
    expect(validate(AuditEntry, versionless)).toEqual({ success: true, output: versionless });
  });

  it("refuses a detail that is not JSON", () => {
    const result = validate(AuditEntry, { ...entry, detail: { at: Number.NaN } });
    expect(result.success === false && result.issues.map((issue) => issue.path)).toEqual([
      "/detail",
    ]);
  });
});

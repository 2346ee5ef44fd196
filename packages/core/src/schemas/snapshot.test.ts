import { describe, expect, it } from "vitest";
import { validate } from "../validate.ts";
import { Snapshot } from "./snapshot.ts";

const snapshot = {
  id: "s1",
  workflowId: "wf-1",
  version: 4,
  description: "Before deploy",
  createdAt: 1_764_000_000_000,
  author: "user-1",
  checksum: "0123456789abcdef".repeat(4),
};

describe("Snapshot", () => {
  it("accepts a snapshot", () => {
    expect(validate(Snapshot, snapshot)).toEqual({ success: true, output: snapshot });
  });

  it("reports every missing or malformed member", () => {
    const result = validate(Snapshot, { ...snapshot, version: "4", checksum: undefined, id: "" });
    expect(result.success === false && result.issues.map((issue) => issue.path)).toEqual([
      "/id",
      "/version",
      "/checksum",
    ]);
  });
});

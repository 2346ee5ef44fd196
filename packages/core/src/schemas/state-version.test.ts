import { describe, expect, it } from "vitest";
import { validate } from "../validate.ts";
import { StateVersion } from "./state-version.ts";

const version = {
  id: "v2",
  workflowId: "wf-1",
  version: 2,
  branch: "main",
  parents: ["v1"],
  timestamp: 1_764_000_000_000,
  author: "agent-1",
  changeDescription: "Mark t1 done",
  checksum: "a".repeat(64),
};

function pathsOf(input: unknown): string[] {
  const result = validate(StateVersion, input);
  return result.success ? [] : result.issues.map((issue) => issue.path);
}

describe("StateVersion", () => {
  it("accepts a version, a root with no parents and a merge with two", () => {
    expect(validate(StateVersion, version)).toEqual({ success: true, output: version });
    expect(pathsOf({ ...version, version: 1, parents: [] })).toEqual([]);
    expect(pathsOf({ ...version, version: 3, parents: ["v1", "v2b"] })).toEqual([]);
  });

  it("reports each malformed member at its path", () => {
    const paths = pathsOf({
      ...version,
      version: 0,
      branch: "/bad",
      parents: ["v1", 2],
      checksum: "A".repeat(64),
      timestamp: -1,
    });
    expect(paths).toEqual(["/version", "/branch", "/parents/1", "/timestamp", "/checksum"]);
  });

  it("refuses fractional version numbers and short checksums", () => {
    expect(pathsOf({ ...version, version: 1.5, checksum: "ab" })).toEqual([
      "/version",
      "/checksum",
    ]);
  });

  it("refuses repeated parents and a version that is its own parent", () => {
    expect(pathsOf({ ...version, parents: ["v1", "v1"] })).toEqual(["/parents"]);
    expect(pathsOf({ ...version, parents: ["v2"] })).toEqual(["/parents"]);
  });
});

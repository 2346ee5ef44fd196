import { describe, expect, it } from "vitest";
import { validate } from "../validate.ts";
import { CommitResult } from "./commit-result.ts";

const result = {
  version: {
    id: "wf-1@3",
    workflowId: "wf-1",
    version: 3,
    branch: "main",
    parents: ["wf-1@2"],
    timestamp: 1_764_000_000_000,
    author: "agent-1",
    changeDescription: "",
    checksum: "f".repeat(64),
  },
  origin: "merge",
  merged: ["/tasks/t1/status"],
  resolved: [{ path: "/metadata/views", base: 1, ours: 2, theirs: 3, strategy: "sum" }],
  replayed: false,
};

describe("CommitResult", () => {
  it("accepts a merge that settled a conflict with a strategy", () => {
    expect(validate(CommitResult, result)).toEqual({ success: true, output: result });
  });

  it("reports every malformed member", () => {
    const outcome = validate(CommitResult, {
      ...result,
      merged: ["tasks"],
      resolved: [{ path: "/metadata/views", base: 1, ours: 2, theirs: 3 }],
      replayed: "no",
    });
    expect(outcome.success === false && outcome.issues.map((issue) => issue.path)).toEqual([
      "/merged/0",
      "/resolved/0/strategy",
      "/replayed",
    ]);
  });
});

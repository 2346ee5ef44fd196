import { describe, expect, it } from "vitest";
import { validate } from "../validate.ts";
import { QueuedConflict } from "./queued-conflict.ts";

const queued = {
  id: "c-1",
  branch: "main",
  base: 3,
  head: 5,
  source: "branch:agents/planner-1",
  theirsVersion: 4,
  status: "open",
  author: "planner-1",
  description: "Merge the plan",
  createdAt: 1_764_000_000_000,
  conflicts: [{ path: "/tasks/t1/title", id: "t1", base: "a", ours: "b", theirs: "c" }],
  resolvedVersion: null,
} as const;

describe("QueuedConflict", () => {
  it("accepts an open conflict and a resolved one from a commit", () => {
    expect(validate(QueuedConflict, queued)).toEqual({ success: true, output: queued });
    const resolved = {
      ...queued,
      source: "commit",
      theirsVersion: null,
      status: "resolved",
      resolvedVersion: 6,
    };
    expect(validate(QueuedConflict, resolved)).toEqual({ success: true, output: resolved });
  });

  it("keeps a conflict's absent side absent", () => {
    const deleted = { ...queued, conflicts: [{ path: "/notes", base: "x", ours: "y" }] };
    const result = validate(QueuedConflict, deleted);
    expect(result.success && "theirs" in (result.output.conflicts[0] ?? {})).toBe(false);
  });

  it("reports every malformed member", () => {
    const result = validate(QueuedConflict, {
      ...queued,
      status: "pending",
      conflicts: [{ base: 1 }],
      resolvedVersion: undefined,
    });
    expect(result.success === false && result.issues.map((issue) => issue.path)).toEqual([
      "/status",
      "/conflicts/0/path",
      "/resolvedVersion",
    ]);
  });
});

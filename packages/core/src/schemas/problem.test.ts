import { describe, expect, it } from "vitest";
import { validate } from "../validate.ts";
import { Problem } from "./problem.ts";

const problem = {
  type: "urn:chorus:problem:validation-failed",
  title: "Unprocessable Content",
  status: 422,
  detail: "/query/limit: Invalid number",
  code: "VALIDATION_FAILED",
  errors: [{ path: "/query/limit", message: "Invalid number" }],
};

describe("Problem", () => {
  it("accepts a refusal, and a 409 and a 412 with their extension members", () => {
    expect(validate(Problem, problem)).toEqual({ success: true, output: problem });
    const conflict = {
      ...problem,
      status: 409,
      code: "CONFLICT",
      errors: [],
      conflictId: "c-1",
      branch: "main",
      base: 1,
      head: 2,
      conflicts: [{ path: "/name", base: "a", ours: "b", theirs: "c" }],
    };
    expect(validate(Problem, conflict)).toEqual({ success: true, output: conflict });
    const stale = { ...problem, status: 412, errors: [], head: 3, checksum: "ab".repeat(32) };
    expect(validate(Problem, stale)).toEqual({ success: true, output: stale });
  });

  it("refuses a success status, a code not in UPPER_SNAKE_CASE and an issue path that is no pointer", () => {
    const result = validate(Problem, {
      ...problem,
      status: 200,
      code: "validation-failed",
      errors: [{ path: "query/limit", message: "x" }],
    });
    expect(result.success === false && result.issues.map((issue) => issue.path)).toEqual([
      "/status",
      "/code",
      "/errors/0/path",
    ]);
  });
});

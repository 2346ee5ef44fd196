import { describe, expect, it } from "vitest";
import { validate } from "../validate.ts";
import { Branch } from "./branch.ts";

const branch = {
  name: "agents/planner-1",
  head: 7,
  createdFrom: 3,
  createdAt: 1_764_000_000_000,
  author: "planner-1",
};

describe("Branch", () => {
  it("accepts a branch, and main with no origin", () => {
    expect(validate(Branch, branch)).toEqual({ success: true, output: branch });
    const main = { ...branch, name: "main", createdFrom: null };
    expect(validate(Branch, main)).toEqual({ success: true, output: main });
  });

  it("reports every malformed member", () => {
    const result = validate(Branch, { ...branch, name: "a//b", head: 0, createdFrom: undefined });
    expect(result.success === false && result.issues.map((issue) => issue.path)).toEqual([
      "/name",
      "/head",
      "/createdFrom",
    ]);
  });
});

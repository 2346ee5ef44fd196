import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { BranchName } from "./branch-name.ts";

describe("BranchName", () => {
  it.each(["main", "feature/x-1", "agents/planner_2", "v1.2", "a", "A".repeat(64)])(
    "accepts %j",
    (name) => {
      expect(v.is(BranchName, name)).toBe(true);
    },
  );

  it.each([
    ["", "empty"],
    ["A".repeat(65), "longer than 64"],
    ["/main", 'start with "/"'],
    [".hidden", 'start with "/" or "."'],
    ["a..b", '".."'],
    ["a//b", "empty segment"],
    ["a/", "empty segment"],
    ["with space", "only A-Z"],
    ["ünï", "only A-Z"],
    ["a:b", "only A-Z"],
  ])("refuses %j, saying why", (name, why) => {
    const result = v.safeParse(BranchName, name);
    expect(result.success).toBe(false);
    expect(result.issues?.[0]?.message).toContain(why);
  });

  it("refuses anything but a string", () => {
    expect(v.is(BranchName, 1)).toBe(false);
  });
});

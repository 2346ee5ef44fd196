import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { validate } from "../validate.ts";
import { CommitOrigin } from "./commit-origin.ts";

describe("CommitOrigin", () => {
  it("is the closed set of ways a version comes about", () => {
    expect(CommitOrigin.options).toEqual([
      "create",
      "fast-forward",
      "merge",
      "last-writer-wins",
      "restore",
      "resolution",
    ]);
    for (const origin of CommitOrigin.options) expect(v.is(CommitOrigin, origin)).toBe(true);
  });

  it.each(["ours", "theirs", "sum", "Merge", ""])("refuses %j, which is no origin", (origin) => {
    expect(validate(CommitOrigin, origin).success).toBe(false);
  });
});

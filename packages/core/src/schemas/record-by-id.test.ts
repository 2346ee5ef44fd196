import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { validate } from "../validate.ts";
import { recordById } from "./record-by-id.ts";

const Items = recordById(v.object({ id: v.string(), n: v.number() }));

describe("recordById", () => {
  it("accepts items filed under their own ids", () => {
    const items = { a: { id: "a", n: 1 }, b: { id: "b", n: 2 } };
    expect(validate(Items, items)).toEqual({ success: true, output: items });
  });

  it("reports an id that differs from its key, along with the items' own issues", () => {
    const result = validate(Items, { a: { id: "b", n: 1 }, c: { id: "c", n: "2" } });
    expect(result.success === false && result.issues.map((issue) => issue.path)).toEqual([
      "/c/n",
      "/a/id",
    ]);
  });

  it("refuses keys that a plain record would silently drop", () => {
    for (const key of ["__proto__", "constructor", "prototype"]) {
      const input = JSON.parse(`{"${key}": {"id": "${key}", "n": 1}}`);
      const result = validate(Items, input);
      expect(result.success === false && result.issues[0]?.path).toBe(`/${key}`);
    }
  });

  it("refuses arrays and non-objects", () => {
    expect(validate(Items, []).success).toBe(false);
    expect(validate(Items, "x").success).toBe(false);
  });
});

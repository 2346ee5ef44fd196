import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { validate } from "../validate.ts";
import { strictMembers } from "./strict-members.ts";

const Point = strictMembers("Point", { x: v.number(), y: v.optional(v.number()) }, "tags go in /t");

describe("strictMembers", () => {
  it("names an unknown member, lists the members there are and says what to do", () => {
    expect(validate(Point, { x: 1, z: 3 })).toEqual({
      success: false,
      issues: [{ path: "/z", message: 'unknown member "z": Point has x, y; tags go in /t' }],
    });
  });

  it("keeps valibot's words for every other issue", () => {
    const plain = v.strictObject({ x: v.number(), y: v.optional(v.number()) });
    for (const input of [{ y: 1 }, { x: "1" }, "not an object"]) {
      expect(validate(Point, input)).toEqual(validate(plain, input));
    }
  });

  it("takes what the plain strict object takes", () => {
    expect(validate(Point, { x: 1 })).toEqual({ success: true, output: { x: 1 } });
  });
});

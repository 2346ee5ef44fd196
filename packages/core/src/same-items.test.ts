import { describe, expect, it } from "vitest";
import { sameItems } from "./same-items.ts";

describe("sameItems", () => {
  it("matches lists with the same items in the same order", () => {
    expect(sameItems(["a", "b"], ["a", "b"])).toBe(true);
    expect(sameItems([], [])).toBe(true);
  });

  it("refuses another length, order or item", () => {
    expect(sameItems(["a"], ["a", "b"])).toBe(false);
    expect(sameItems(["a", "b"], ["b", "a"])).toBe(false);
    const shared = {};
    expect(sameItems([shared], [{}])).toBe(false);
  });

  it("compares only from start on, the length always", () => {
    expect(sameItems([1, 2, 3], [9, 2, 3], 1)).toBe(true);
    expect(sameItems([1, 2, 3], [1, 9, 3], 1)).toBe(false);
    expect(sameItems([1, 2], [1, 2, 3], 2)).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { type ElementId, elementId, indexById, mergeOrder } from "./merge-arrays.ts";

const ids = (...list: ElementId[]) => new Map(list.map((id) => [id, { id }]));

describe("indexById", () => {
  it("indexes objects by a unique string or number id, in order", () => {
    expect([...(indexById([{ id: "a" }, { id: 2 }, { id: "2" }]) ?? []).keys()]).toEqual([
      "a",
      2,
      "2",
    ]);
    expect(indexById([])?.size).toBe(0);
  });

  it.each([
    [[{ id: "a" }, { id: "a" }]],
    [[{ id: "a" }, { name: "b" }]],
    [[{ id: null }]],
    [[{ id: true }]],
    [[{ id: { n: 1 } }]],
    [["a"]],
    [[[{ id: "a" }]]],
  ])("refuses %j as not id-keyed", (array) => {
    expect(indexById(array)).toBeUndefined();
  });

  it("ignores an inherited id", () => {
    expect(indexById([Object.create({ id: "a" })])).toBeUndefined();
  });
});

describe("mergeOrder", () => {
  it("puts ours' ids first, then ids only theirs has, then ids only base has", () => {
    expect(mergeOrder(ids("a", "b", "z"), ids("c", "a"), ids("a", "b", "d"))).toEqual([
      "c",
      "a",
      "b",
      "d",
      "z",
    ]);
  });

  it("follows theirs' order when only theirs reordered", () => {
    expect(mergeOrder(ids("a", "b", "c"), ids("a", "b", "c", "o"), ids("c", "a", "b"))).toEqual([
      "c",
      "a",
      "b",
      "o",
    ]);
  });

  it("follows ours' order when both reordered", () => {
    expect(mergeOrder(ids("a", "b"), ids("b", "a"), ids("b", "a", "t"))).toEqual(["b", "a", "t"]);
  });

  it("does not count deletions or additions as a reorder", () => {
    expect(mergeOrder(ids("a", "b", "c"), ids("a", "c"), ids("x", "a", "b", "c"))).toEqual([
      "a",
      "c",
      "x",
      "b",
    ]);
  });
});

describe("elementId", () => {
  it("reads an element's own string or finite number id", () => {
    expect(elementId({ id: "t1" })).toBe("t1");
    expect(elementId({ id: 2 })).toBe(2);
    expect(elementId({ id: Number.NaN })).toBeUndefined();
    expect(elementId(Object.create({ id: "inherited" }))).toBeUndefined();
    expect(elementId([{ id: "t1" }])).toBeUndefined();
    expect(elementId("t1")).toBeUndefined();
  });
});

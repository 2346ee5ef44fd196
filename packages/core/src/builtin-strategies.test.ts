import { describe, expect, it } from "vitest";
import { merge } from "./merge.ts";

describe("built-in merge strategies", () => {
  const base = { title: "a", gone: 1, n: 1 };
  const ours = { title: "b", n: 2 };
  const theirs = { title: "c", gone: 2, n: 3 };

  it("reject leaves every conflict, keeping ours' values in place", () => {
    const result = merge(base, ours, theirs, { defaultStrategy: "reject" });
    expect(result.value).toEqual(ours);
    expect(result.conflicts.map((c) => c.path)).toEqual(["/title", "/n", "/gone"]);
    expect(result.resolved).toEqual([]);
  });

  it("ours keeps our side of each conflict, our deletions included", () => {
    const result = merge(base, ours, theirs, { defaultStrategy: "ours" });
    expect(result.value).toEqual({ title: "b", n: 2 });
    expect(result.conflicts).toEqual([]);
    expect(result.resolved).toContainEqual({ path: "/gone", base: 1, theirs: 2, strategy: "ours" });
  });

  it("theirs keeps their side of each conflict, their deletions included", () => {
    const result = merge(base, ours, theirs, { defaultStrategy: "theirs" });
    expect(result.value).toEqual({ title: "c", n: 3, gone: 2 });
    const deleted = merge({ t: 1 }, { t: 2 }, {}, { defaultStrategy: "theirs" });
    expect(deleted.value).toEqual({});
    expect(deleted.resolved).toEqual([{ path: "/t", base: 1, ours: 2, strategy: "theirs" }]);
  });

  it("theirs can remove an element of an id-keyed array", () => {
    const base = [{ id: 1, v: 0 }, { id: 2 }];
    const result = merge(base, [{ id: 1, v: 1 }, { id: 2 }], [{ id: 2 }], {
      defaultStrategy: "theirs",
    });
    expect(result.value).toEqual([{ id: 2 }]);
    expect(result.resolved).toEqual([
      { path: "/0", id: 1, base: { id: 1, v: 0 }, ours: { id: 1, v: 1 }, strategy: "theirs" },
    ]);
  });

  it("sum adds both sides' changes to a counter", () => {
    const result = merge({ views: 10 }, { views: 13 }, { views: 11 }, { defaultStrategy: "sum" });
    expect(result.value).toEqual({ views: 14 });
    expect(result.resolved).toEqual([
      { path: "/views", base: 10, ours: 13, theirs: 11, strategy: "sum" },
    ]);
  });

  it("sum counts two equal increments twice", () => {
    const result = merge({ views: 5 }, { views: 6 }, { views: 6 }, { defaultStrategy: "sum" });
    expect(result.value).toEqual({ views: 7 });
    expect(result.clean).toEqual([]);
    expect(result.resolved).toEqual([
      { path: "/views", base: 5, ours: 6, theirs: 6, strategy: "sum" },
    ]);
  });

  it("sum leaves the conflict when a side is not a number", () => {
    const result = merge(
      { n: 1, s: "a" },
      { n: "x", s: "b" },
      { n: 2, s: "c" },
      {
        defaultStrategy: "sum",
      },
    );
    expect(result.conflicts.map((c) => c.path)).toEqual(["/n", "/s"]);
    expect(merge({}, { n: 1 }, { n: 2 }, { defaultStrategy: "sum" }).conflicts).toHaveLength(1);
  });

  it("sum leaves the conflict when the total is not a finite number", () => {
    const max = Number.MAX_VALUE;
    const result = merge({ n: 0 }, { n: max }, { n: max / 2 }, { defaultStrategy: "sum" });
    expect(result.value).toEqual({ n: max });
    expect(result.conflicts).toEqual([{ path: "/n", base: 0, ours: max, theirs: max / 2 }]);
  });

  it("sum leaves agreed changes that are not numbers as clean", () => {
    const result = merge({ s: "a" }, { s: "b" }, { s: "b" }, { defaultStrategy: "sum" });
    expect(result.value).toEqual({ s: "b" });
    expect(result.clean).toEqual(["/s"]);
  });
});

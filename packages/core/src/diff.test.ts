import { describe, expect, it } from "vitest";
import { diff } from "./diff.ts";
import type { JsonValue } from "./json.ts";
import { applyPatch } from "./patch.ts";
import { catchError } from "./testing/catch-error.ts";

function nested(levels: number, leaf: JsonValue): JsonValue {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

function tasks(count: number): JsonValue[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `t${i}`,
    title: `task ${i}`,
    done: false,
  }));
}

function expectRoundTrip(a: JsonValue, b: JsonValue): void {
  expect(applyPatch(a, diff(a, b))).toEqual(b);
}

describe("diff", () => {
  it("returns no operations for equal documents", () => {
    expect(diff({ a: [1, { b: null }] }, { a: [1, { b: null }] })).toEqual([]);
    expect(diff("x", "x")).toEqual([]);
  });

  it("replaces the whole document when the kind of value changes", () => {
    expect(diff({ a: 1 }, [1])).toEqual([{ op: "replace", path: "", value: [1] }]);
    expect(diff(1, "1")).toEqual([{ op: "replace", path: "", value: "1" }]);
  });

  it("lists removals, then changes, then additions, escaping keys", () => {
    const a = { keep: 1, "a/b": 1, gone: 2, "": { x: 1 } };
    const b = { "m~n": 3, keep: 1, "a/b": 2, "": { x: 2 } };
    expect(diff(a, b)).toEqual([
      { op: "remove", path: "/gone" },
      { op: "replace", path: "/a~1b", value: 2 },
      { op: "replace", path: "//x", value: 2 },
      { op: "add", path: "/m~0n", value: 3 },
    ]);
    expectRoundTrip(a, b);
  });

  it("diffs __proto__ and constructor as ordinary keys", () => {
    const a = JSON.parse('{"__proto__":{"x":1},"constructor":1}');
    const b = JSON.parse('{"__proto__":{"x":2},"prototype":{}}');
    expect(diff(a, b)).toEqual([
      { op: "remove", path: "/constructor" },
      { op: "replace", path: "/__proto__/x", value: 2 },
      { op: "add", path: "/prototype", value: {} },
    ]);
    expectRoundTrip(a, b);
  });

  describe("arrays keyed by id", () => {
    it("adds an inserted element without touching the others", () => {
      const a = { tasks: tasks(300) };
      const inserted = { id: "new", title: "new", done: false };
      const b = { tasks: [...a.tasks.slice(0, 100), inserted, ...a.tasks.slice(100)] };
      expect(diff(a, b)).toEqual([{ op: "add", path: "/tasks/100", value: inserted }]);
    });

    it("moves a moved element and recurses into changed ones", () => {
      const a = tasks(5);
      const b = [a[1], a[2], a[3], a[0], { id: "t4", title: "task 4", done: true }] as JsonValue[];
      expect(diff(a, b)).toEqual([
        { op: "move", from: "/0", path: "/3" },
        { op: "replace", path: "/4/done", value: true },
      ]);
      expectRoundTrip(a, b);
    });

    it("removes elements from the highest index down", () => {
      const a = tasks(5);
      const b = [a[0], a[2], a[4]] as JsonValue[];
      expect(diff(a, b)).toEqual([
        { op: "remove", path: "/3" },
        { op: "remove", path: "/1" },
      ]);
    });

    it("matches number ids and reorders, removes and adds at once", () => {
      const a = [{ id: 1 }, { id: 2, v: [1] }, { id: 3 }, { id: 4 }];
      const b = [{ id: 4 }, { id: 5 }, { id: 2, v: [1, 2] }, { id: 1 }];
      expectRoundTrip(a, b);
      expect(diff(a, b).length).toBeLessThanOrEqual(5);
    });
  });

  describe("other arrays", () => {
    it("trims the common prefix and suffix", () => {
      expect(diff([1, 2, 3, 4], [1, 2, 9, 3, 4])).toEqual([{ op: "add", path: "/2", value: 9 }]);
      expect(diff([1, 2, 9, 3, 4], [1, 2, 3, 4])).toEqual([{ op: "remove", path: "/2" }]);
    });

    it("compares position by position when ids repeat or are missing", () => {
      const a = [
        { id: 1, v: 1 },
        { id: 1, v: 2 },
      ];
      const b = [{ id: 1, v: 3 }, { id: 1, v: 2 }, { v: 4 }];
      expect(diff(a, b)).toEqual([
        { op: "replace", path: "/0/v", value: 3 },
        { op: "add", path: "/2", value: { v: 4 } },
      ]);
    });

    it("round-trips mixed arrays", () => {
      expectRoundTrip([1, "a", [2], { id: 1 }, null], [null, { id: 1, x: 1 }, [2, 3], "a"]);
      expectRoundTrip([[1, 2], [3]], []);
      expectRoundTrip([], [{ id: "a" }]);
    });
  });

  it("refuses to descend past maxDepth instead of overflowing the stack", () => {
    const a = nested(10_000, 1);
    const b = nested(10_000, 2);
    const error = catchError(() => diff(a, b));
    expect(error.code).toBe("TOO_DEEP");
    expect(error.path).toBe("/a".repeat(512));
    const deep = diff(a, b, { maxDepth: 20_000 });
    expect(deep).toEqual([{ op: "replace", path: "/a".repeat(10_000), value: 2 }]);
  });

  it("keeps patch order where recursion hands over to the explicit stack", () => {
    // Levels of { v, gone?, next }, changed near the top and past the recursion depth (64).
    const chain = (levels: number, edit: (level: number) => Record<string, JsonValue>) => {
      let value: JsonValue = null;
      for (let level = levels - 1; level >= 0; level--) value = { ...edit(level), next: value };
      return value;
    };
    const a = chain(100, (level) => ({ v: 0, ...(level % 30 === 10 ? { gone: 1 } : {}) }));
    const b = chain(100, (level) => ({ v: level % 30 === 10 ? 1 : 0 }));
    const at = (level: number) => "/next".repeat(level);
    const expected = [10, 40, 70].flatMap((level) => [
      { op: "remove", path: `${at(level)}/gone` },
      { op: "replace", path: `${at(level)}/v`, value: 1 },
    ]);
    expect(diff(a, b)).toEqual(expected);
    expectRoundTrip(a, b);
    expectRoundTrip(b, a);
  });

  it("skips the equality check beside shared data only where maxDepth cannot be reached", () => {
    const shared = { s: 1 };
    const a = { shared, x: { shared, y: nested(3, 1) } };
    const b = { shared, x: { shared, y: nested(3, 1) } };
    // Equal copies emit nothing, even where comparing them in full would pass the limit.
    expect(diff(a, b, { maxDepth: 2 })).toEqual([]);
    expect(diff(a, b)).toEqual([]);
    const changed = { shared, x: { shared, y: nested(3, 2) } };
    expect(diff(a, changed)).toEqual([{ op: "replace", path: "/x/y/a/a/a", value: 2 }]);
    expect(catchError(() => diff(a, changed, { maxDepth: 2 })).code).toBe("TOO_DEEP");
  });

  it("costs nothing for subtrees shared by both documents", () => {
    const shared = nested(10_000, 1);
    expect(diff({ shared, x: 1 }, { shared, x: 2 })).toEqual([
      { op: "replace", path: "/x", value: 2 },
    ]);
  });
});

import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { Conflict } from "./conflict.ts";
import type { JsonObject, JsonValue } from "./json.ts";
import { merge } from "./merge.ts";
import { catchError } from "./testing/catch-error.ts";

const task = (id: string | number, fields: JsonObject = {}): JsonObject => ({ id, ...fields });

describe("merge", () => {
  it("merges disjoint edits to the same task", () => {
    const base = { tasks: { t1: { title: "Draft", status: "todo" } } };
    const ours = { tasks: { t1: { title: "Draft v2", status: "todo" } } };
    const theirs = { tasks: { t1: { title: "Draft", status: "done" } } };
    const result = merge(base, ours, theirs);
    expect(result.value).toEqual({ tasks: { t1: { title: "Draft v2", status: "done" } } });
    expect(result.conflicts).toEqual([]);
    expect(result.clean).toEqual(["/tasks/t1/title", "/tasks/t1/status"]);
  });

  it("takes the same edit made on both sides without a conflict", () => {
    const result = merge({ a: 1, b: [1] }, { a: 2, b: [1, 2] }, { a: 2, b: [1, 2] });
    expect(result.value).toEqual({ a: 2, b: [1, 2] });
    expect(result.conflicts).toEqual([]);
    expect(result.clean).toEqual(["/a", "/b"]);
  });

  it("merges a few edits to a long id-keyed array position by position, sharing the rest", () => {
    const base = Array.from({ length: 3000 }, (_, i) => task(`t${i}`, { status: "todo" }));
    const ours = base.slice();
    ours[0] = task("t0", { status: "doing" });
    const theirs = base.slice();
    theirs[2999] = task("t2999", { status: "done" });
    theirs.push(task("t3000", { status: "todo" }));
    const result = merge({ tasks: base }, { tasks: ours }, { tasks: theirs });
    const merged = (result.value as { tasks: JsonObject[] }).tasks;
    expect(merged).toHaveLength(3001);
    expect(merged[0]).toBe(ours[0]);
    expect(merged[1]).toBe(base[1]);
    expect(merged[2999]).toBe(theirs[2999]);
    expect(merged[3000]).toBe(theirs[3000]);
    expect(result.clean).toEqual(["/tasks/0", "/tasks/2999", "/tasks/3000"]);
    expect(result.conflicts).toEqual([]);
  });

  it("reports nothing as merged where neither side changed a freshly parsed value", () => {
    const fresh = () => ({ tags: ["a", "b"], nested: { n: 1 } });
    const result = merge(fresh(), fresh(), fresh());
    expect(result.clean).toEqual([]);
    expect(result.conflicts).toEqual([]);
  });

  it("returns the changed side itself when the other side is unchanged", () => {
    const base = { a: { b: 1 } };
    const theirs = { a: { b: 2 } };
    expect(merge(base, base, theirs).value).toBe(theirs);
    expect(merge(base, { a: { b: 1 } }, theirs).value).toBe(theirs);
    expect(merge(base, theirs, { a: { b: 1 } }).value).toBe(theirs);
  });

  it("shares unchanged subtrees with the inputs instead of copying them", () => {
    const big = { rows: Array.from({ length: 100 }, (_, i) => ({ i })) };
    const base = { big, a: { x: 1 }, b: { y: 1 } };
    const ours = { ...base, a: { x: 2 } };
    const theirs = { ...base, b: { y: 2 } };
    const value = merge(base, ours, theirs).value as JsonObject;
    expect(value.big).toBe(big);
    expect(value.a).toBe(ours.a);
    expect(value.b).toBe(theirs.b);
  });

  it("never enters a subtree shared by reference with base", () => {
    // Any look inside this object throws, so the merge must compare it by reference only.
    const entered = (): never => {
      throw new Error("entered");
    };
    const untouchable = new Proxy(
      {},
      {
        get: entered,
        ownKeys: entered,
        getPrototypeOf: entered,
        getOwnPropertyDescriptor: entered,
        has: entered,
      },
    ) as JsonObject;
    const base = { state: untouchable, n: 1, list: [untouchable, 1] };
    const ours = { state: untouchable, n: 2, list: [untouchable, 1] };
    // Theirs changes the list: the change is taken and checked, but not the element it shares.
    const theirs = { state: untouchable, n: 1, list: [untouchable, 2] };
    const result = merge(base, ours, theirs);
    expect(result.clean).toEqual(["/n", "/list"]);
    expect(merge(base, base, theirs).clean).toEqual([""]);
  });

  it("merges a deletion on one side with no change on the other", () => {
    const result = merge({ a: 1, b: 2 }, { a: 1 }, { a: 1, b: 2 });
    expect(result.value).toEqual({ a: 1 });
    expect(result.clean).toEqual(["/b"]);
  });

  it("merges keys added on each side", () => {
    const result = merge({ a: 1 }, { a: 1, b: 2 }, { a: 1, c: 3 });
    expect(result.value).toEqual({ a: 1, b: 2, c: 3 });
    expect(result.conflicts).toEqual([]);
  });

  it("reports delete versus modify as a conflict and keeps ours' deletion", () => {
    const result = merge({ a: 1, b: 2 }, { a: 1 }, { a: 1, b: 3 });
    expect(result.value).toEqual({ a: 1 });
    expect(result.conflicts).toEqual([{ path: "/b", base: 2, theirs: 3 }]);
    expect(result.conflicts[0] && "ours" in result.conflicts[0]).toBe(false);
  });

  it("reports modify versus delete as a conflict and keeps ours' value", () => {
    const result = merge({ t: { x: 1 } }, { t: { x: 2 } }, {});
    expect(result.value).toEqual({ t: { x: 2 } });
    expect(result.conflicts).toEqual([{ path: "/t", base: { x: 1 }, ours: { x: 2 } }]);
  });

  it("reports add/add of different values at the same key as a conflict", () => {
    const result = merge({}, { k: "ours" }, { k: "theirs" });
    expect(result.conflicts).toEqual([{ path: "/k", ours: "ours", theirs: "theirs" }]);
    expect(result.value).toEqual({ k: "ours" });
  });

  it("accepts add/add of equal values", () => {
    const result = merge({}, { k: { deep: [1] } }, { k: { deep: [1] } });
    expect(result.conflicts).toEqual([]);
    expect(result.value).toEqual({ k: { deep: [1] } });
  });

  it("reports different changes to the same scalar and type changes as conflicts", () => {
    const result = merge({ s: "a", t: 1 }, { s: "b", t: [1] }, { s: "c", t: { one: 1 } });
    expect(result.conflicts.map((c) => c.path)).toEqual(["/s", "/t"]);
    expect(result.value).toEqual({ s: "b", t: [1] });
  });

  it("treats arrays without ids as atomic values", () => {
    const base = { tags: ["a"] };
    expect(merge(base, { tags: ["a", "b"] }, base).value).toEqual({ tags: ["a", "b"] });
    const result = merge(base, { tags: ["a", "b"] }, { tags: ["a", "c"] });
    expect(result.conflicts).toEqual([
      { path: "/tags", base: ["a"], ours: ["a", "b"], theirs: ["a", "c"] },
    ]);
  });

  it("treats arrays whose ids repeat or are missing on one side as atomic", () => {
    const base = { list: [task("a"), task("b")] };
    const ours = { list: [task("a", { x: 1 }), task("b")] };
    const theirs = { list: [task("a"), task("b"), { name: "no id" }] };
    expect(merge(base, ours, theirs).conflicts.map((c) => c.path)).toEqual(["/list"]);
    const twice = { list: [task("a"), task("a", { x: 2 })] };
    expect(merge(base, ours, twice).conflicts.map((c) => c.path)).toEqual(["/list"]);
  });

  it("refuses input that is not JSON, naming the path", () => {
    const cycle: JsonObject = {};
    cycle.self = cycle;
    const cases: Array<[unknown, string]> = [
      [{ a: undefined }, "/a"],
      [{ a: [1, Number.NaN] }, "/a/1"],
      [{ a: () => 1 }, "/a"],
      [{ a: new Date(0) }, "/a"],
      [{ a: { b: cycle } }, "/a/b/self"],
      [undefined, ""],
    ];
    for (const [bad, path] of cases) {
      const error = catchError(() => merge({ a: 1 }, bad as JsonValue, { a: 1 }));
      expect([error.code, error.path]).toEqual(["INVALID_JSON", path]);
    }
  });

  it("reports cycles on every side as INVALID_JSON at the first repeat", () => {
    const cycle = (n: number): JsonObject => {
      const value: JsonObject = { n };
      value.self = value;
      return value;
    };
    const error = catchError(() => merge(cycle(1), cycle(2), cycle(3)));
    expect([error.code, error.path]).toEqual(["INVALID_JSON", "/self"]);
  });

  it("refuses non-JSON data met while comparing both changed sides", () => {
    const error = catchError(() =>
      merge({ a: [1] }, { a: [1, 2] }, { a: [1, Symbol("x")] as unknown as JsonValue }),
    );
    expect([error.code, error.path]).toEqual(["INVALID_JSON", "/a/1"]);
  });

  it("refuses a 10,000-level document with TOO_DEEP instead of overflowing the stack", () => {
    const nest = (leaf: JsonValue): JsonValue => {
      let value: JsonValue = leaf;
      for (let i = 0; i < 10_000; i++) value = { a: value };
      return value;
    };
    const error = catchError(() => merge(nest(0), nest(1), nest(2)));
    expect(error.code).toBe("TOO_DEEP");
    expect(error.path).toBe("/a".repeat(512));
    // A deep change taken from one side is refused too.
    expect(catchError(() => merge({ a: 0 }, { a: 0 }, { a: nest(1) })).code).toBe("TOO_DEEP");
  });

  it("reports running out of stack under a huge depth limit as TOO_DEEP, not a RangeError", () => {
    const nest = (leaf: JsonValue): JsonValue => {
      let value: JsonValue = leaf;
      for (let i = 0; i < 100_000; i++) value = { a: value };
      return value;
    };
    const error = catchError(() => merge(nest(0), nest(1), nest(2), { maxDepth: 1_000_000 }));
    expect(error.code).toBe("TOO_DEEP");
    expect(error.path?.startsWith("/a/a/a")).toBe(true);
  });

  it("honours a smaller depth limit", () => {
    const error = catchError(() => merge({ a: { b: 1 } }, { a: { b: 2 } }, {}, { maxDepth: 1 }));
    expect([error.code, error.path]).toEqual(["TOO_DEEP", "/a"]);
    expect(merge({ a: 1 }, { a: 2 }, { a: 1 }, { maxDepth: 1 }).value).toEqual({ a: 2 });
    // A conflict's base is checked against the limit too.
    const deepBase = catchError(() => merge({ a: { b: [] } }, { a: 1 }, { a: 2 }, { maxDepth: 2 }));
    expect([deepBase.code, deepBase.path]).toEqual(["TOO_DEEP", "/a/b"]);
  });

  it("merges __proto__, constructor and prototype keys as data without polluting", () => {
    const base = JSON.parse('{"__proto__": {"x": 1}, "constructor": {"y": 1}, "prototype": 1}');
    const ours = JSON.parse(
      '{"__proto__": {"x": 2}, "constructor": {"y": 1}, "prototype": 1, "a": 1}',
    );
    const theirs = JSON.parse(
      '{"__proto__": {"x": 1, "polluted": true}, "constructor": {"y": 2}, "prototype": 2}',
    );
    const value = merge(base, ours, theirs).value as JsonObject;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, "__proto__")).toBe(true);
    expect(Object.getOwnPropertyDescriptor(value, "__proto__")?.value).toEqual({
      x: 2,
      polluted: true,
    });
    expect(value.constructor).toEqual({ y: 2 });
    expect(value.prototype).toBe(2);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("does not mistake inherited names for keys", () => {
    const result = merge({}, { constructor: 1 }, { toString: 2 });
    expect(result.value).toEqual({ constructor: 1, toString: 2 });
    expect(result.conflicts).toEqual([]);
  });

  it("records conflicts that satisfy the Conflict schema", () => {
    const result = merge({ a: 1, b: {} }, { a: 2 }, { a: 3, b: { c: null } });
    expect(result.conflicts).toHaveLength(2);
    for (const conflict of result.conflicts) expect(v.is(Conflict, conflict)).toBe(true);
  });
});

describe("merge of id-keyed arrays", () => {
  it("merges edits to different elements and to different fields of one element", () => {
    const base = { tasks: [task("t1", { a: 0, b: 0 }), task("t2", { a: 0 })] };
    const ours = { tasks: [task("t1", { a: 1, b: 0 }), task("t2", { a: 1 })] };
    const theirs = { tasks: [task("t1", { a: 0, b: 1 }), task("t2", { a: 0 })] };
    const result = merge(base, ours, theirs);
    expect(result.value).toEqual({ tasks: [task("t1", { a: 1, b: 1 }), task("t2", { a: 1 })] });
    // t2 differs by reference only, so the change is found, and reported, one level down.
    expect(result.clean).toEqual(["/tasks/0/a", "/tasks/0/b", "/tasks/1/a"]);
  });

  it("keeps additions from both sides, ours' order first, then theirs' new elements", () => {
    const base = [task(1)];
    const ours = [task("o1"), task(1), task("o2")];
    const theirs = [task(1), task("t1"), task("t2")];
    const result = merge(base, ours, theirs);
    expect((result.value as JsonObject[]).map((t) => t.id)).toEqual(["o1", 1, "o2", "t1", "t2"]);
    expect(result.conflicts).toEqual([]);
  });

  it("deletes an element one side removed and the other left unchanged", () => {
    const base = [task("a"), task("b"), task("c")];
    const result = merge(base, [task("a"), task("c")], [task("a"), task("b"), task("c", { x: 1 })]);
    expect(result.value).toEqual([task("a"), task("c", { x: 1 })]);
    expect(result.conflicts).toEqual([]);
  });

  it("reports deletion versus modification at the element's merged index, with its id", () => {
    const base = [task("a"), task("b", { x: 0 }), task("c")];
    const ours = [task("new"), task("a"), task("b", { x: 1 }), task("c")];
    const theirs = [task("a"), task("c")];
    const result = merge(base, ours, theirs);
    expect(result.value).toEqual(ours);
    expect(result.conflicts).toEqual([
      { path: "/2", id: "b", base: task("b", { x: 0 }), ours: task("b", { x: 1 }) },
    ]);
    // Ours deleted it: ours' deletion holds, and the path is where the element would stand
    // (after theirs' addition: ids only theirs has follow ours' ids in theirs' order).
    const swapped = merge(base, theirs, ours);
    expect(swapped.value).toEqual([task("a"), task("c"), task("new")]);
    expect(swapped.conflicts).toEqual([
      { path: "/3", id: "b", base: task("b", { x: 0 }), theirs: task("b", { x: 1 }) },
    ]);
  });

  it("puts the element's id on conflicts inside it", () => {
    const base = { tasks: [task("x"), task(7, { title: "a" })] };
    const ours = { tasks: [task(7, { title: "b" })] };
    const theirs = { tasks: [task("x"), task(7, { title: "c" })] };
    expect(merge(base, ours, theirs).conflicts).toEqual([
      { path: "/tasks/0/title", id: 7, base: "a", ours: "b", theirs: "c" },
    ]);
  });

  it("keeps theirs' reorder when ours only edited an element", () => {
    const base = [task("a"), task("b"), task("c")];
    const ours = [task("a", { done: true }), task("b"), task("c"), task("d")];
    const theirs = [task("c"), task("a"), task("b")];
    const result = merge(base, ours, theirs);
    expect(result.value).toEqual([task("c"), task("a", { done: true }), task("b"), task("d")]);
  });

  it("keeps ours' order when both sides reorder", () => {
    const base = [task("a"), task("b"), task("c")];
    const ours = [task("c"), task("b"), task("a")];
    const theirs = [task("b"), task("a", { x: 1 }), task("c")];
    const result = merge(base, ours, theirs);
    expect(result.value).toEqual([task("c"), task("b"), task("a", { x: 1 })]);
    expect(result.conflicts).toEqual([]);
  });

  it("takes a pure reorder from one side as is", () => {
    const base = [task("a"), task("b")];
    const theirs = [task("b"), task("a")];
    expect(merge(base, [task("a"), task("b")], theirs).value).toBe(theirs);
  });

  it("reports add/add of one id with different content as a conflict at that element", () => {
    const result = merge([], [task("n", { v: 1 })], [task("n", { v: 2 })]);
    expect(result.conflicts).toEqual([
      { path: "/0", id: "n", ours: task("n", { v: 1 }), theirs: task("n", { v: 2 }) },
    ]);
  });

  it("merges edits to keyed elements beside untouched unkeyed ones both sides kept in place", () => {
    const note = { text: "no id" };
    const base = { list: [note, task("a"), task("b")] };
    const ours = { list: [note, task("a", { x: 1 }), task("b")] };
    const theirs = { list: [note, task("a"), task("b", { y: 2 })] };
    const result = merge(base, ours, theirs);
    expect(result.value).toEqual({ list: [note, task("a", { x: 1 }), task("b", { y: 2 })] });
    expect(result.conflicts).toEqual([]);
    // An unkeyed element a side changed still makes the array one value.
    const edited = { list: [{ text: "edited" }, task("a"), task("b", { y: 2 })] };
    expect(merge(base, ours, edited).conflicts.map((c) => c.path)).toEqual(["/list"]);
  });

  it("refuses to align an appended element whose id an untouched element already has", () => {
    const [a, b] = [task("a"), task("b")];
    const base = { list: [a, b] };
    const ours = { list: [task("a", { x: 1 }), b] };
    const theirs = { list: [a, b, task("b", { z: 3 })] };
    expect(merge(base, ours, theirs).conflicts.map((c) => c.path)).toEqual(["/list"]);
  });

  it("treats string and number ids as different", () => {
    const result = merge([], [task(1)], [task("1")]);
    expect(result.value).toEqual([task(1), task("1")]);
  });
});

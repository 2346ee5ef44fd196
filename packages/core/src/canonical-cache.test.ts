import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CanonicalCache } from "./canonical-cache.ts";
import { canonicalize } from "./canonical-json.ts";
import { diff } from "./diff.ts";
import type { JsonObject, JsonValue } from "./json.ts";
import { applyPatch } from "./patch.ts";
import { catchError } from "./testing/catch-error.ts";

const state = (tasks: number): JsonObject => ({
  name: "w",
  tasks: Object.fromEntries(
    Array.from({ length: tasks }, (_, i) => [`t${i}`, { status: "open", id: `t${i}`, n: i }]),
  ),
});

describe("CanonicalCache", () => {
  it("writes exactly what canonicalize writes, cold and warm", () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: "binary" }), (value) => {
        const cache = new CanonicalCache();
        const json = value as JsonValue;
        expect(cache.text(json)).toBe(canonicalize(json));
        expect(cache.text(json)).toBe(canonicalize(json));
      }),
      { numRuns: 300 },
    );
  });

  it("follows a history of patched versions, each sharing structure with its parent", () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { minLength: 2, maxLength: 6 }), (values) => {
        const cache = new CanonicalCache({ levels: 3 });
        let current = values[0] as JsonValue;
        for (const next of values.slice(1) as JsonValue[]) {
          current = applyPatch(current, diff(current, next));
          expect(cache.text(current)).toBe(canonicalize(next));
        }
      }),
      { numRuns: 200 },
    );
  });

  it("reuses the text of subtrees a patch did not touch", () => {
    const cache = new CanonicalCache();
    const before = state(3);
    cache.text(before);
    const after = applyPatch(before, [
      { op: "replace", path: "/tasks/t1/status", value: "done" },
    ]) as JsonObject;
    // An untouched task is the same object, its text remembered: mutating it behind the
    // cache's back (which its contract forbids) shows the remembered text is what gets used.
    const untouched = (after.tasks as JsonObject).t0 as JsonObject;
    untouched.n = 99;
    expect(cache.text(after)).toContain('"n":0');
    expect(cache.text(after)).toContain('"status":"done"');
  });

  it("reuses the whole text of a member-by-member object a patch left alone, for a few", () => {
    const cache = new CanonicalCache();
    const before = { ...state(3), metadata: { step: 0 } };
    cache.text(before);
    const after = applyPatch(before, [
      { op: "replace", path: "/metadata/step", value: 1 },
    ]) as JsonObject;
    // `tasks` is written member by member (level 1) and was not touched: its text is reused
    // whole, which mutating it behind the cache's back (its contract forbids that) shows.
    const tasks = after.tasks as JsonObject;
    tasks.t9 = { id: "t9" };
    expect(cache.text(after)).not.toContain("t9");
    expect(cache.text(after)).toContain('"step":1');
    // Kept while in use, however many other objects come and go in between (least recently
    // used first out)...
    for (let i = 0; i < 20; i++) {
      cache.text({ other: { n: i } });
      expect(cache.text(after)).not.toContain("t9");
    }
    // ...but only the last few such texts are kept: after many others, it is written afresh.
    for (let i = 0; i < 20; i++) cache.text({ other: { n: i } });
    expect(cache.text(after)).toContain("t9");
  });

  it("orders member names by UTF-16 code units, array-index names included", () => {
    const value = {
      b: 1,
      10: 2,
      2: 3,
      a: { "\u00e9": 1, z: 2, "\ud83d\ude00": 3 },
      A: [3, { y: 1, x: 2 }],
    };
    expect(new CanonicalCache().text(value)).toBe(canonicalize(value));
  });

  it.each([
    ["undefined", { a: { b: undefined } }, "/a/b"],
    ["a function deep down", { a: { b: { c: [0, () => 1] } } }, "/a/b/c/1"],
    ["a Date", { when: new Date(0) }, "/when"],
    ["a lone surrogate in a name", { o: { "a/\udc00": 1 } }, "/o/a~1\udc00"],
    ["a lone surrogate in a top-level name", { "\ud800": 1 }, "/\ud800"],
    ["a non-plain object at the root", new Map(), ""],
  ])("refuses %s as INVALID_JSON with canonicalize's path", (_, input, path) => {
    const error = catchError(() => new CanonicalCache().text(input as unknown as JsonValue));
    expect(error.code).toBe("INVALID_JSON");
    expect(error.path).toBe(path);
    expect(catchError(() => canonicalize(input as unknown as JsonValue)).path).toBe(path);
  });

  it("refuses nesting beyond maxDepth where canonicalize does", () => {
    for (const [value, maxDepth] of [
      [{ a: { b: 1 } }, 1],
      [{ a: { b: { c: { d: 1 } } } }, 3],
      [{ a: [[[1]]] }, 2],
      [{ a: {} }, 0],
    ] as Array<[JsonValue, number]>) {
      const expected = catchError(() => canonicalize(value, { maxDepth }));
      const error = catchError(() => new CanonicalCache().text(value, { maxDepth }));
      expect([error.code, error.path]).toEqual([expected.code, expected.path]);
    }
    expect(new CanonicalCache().text({ a: { b: 1 } }, { maxDepth: 2 })).toBe('{"a":{"b":1}}');
  });

  it("names a lone surrogate in a member name by its path, also after other names were remembered", () => {
    const cache = new CanonicalCache();
    cache.text(state(3));
    const bad = { ...state(3), tasks: { t0: { id: "t0" }, "x\ud800": { id: "x" } } };
    const expected = catchError(() => canonicalize(bad));
    const error = catchError(() => cache.text(bad));
    expect([error.code, error.path]).toEqual([expected.code, expected.path]);
    expect(error.path).toBe("/tasks/x\ud800");
  });

  it("stays exact past the member names it remembers (10,000), names never repeating", () => {
    const cache = new CanonicalCache();
    for (let round = 0; round < 3; round++) {
      const many = Object.fromEntries(
        Array.from({ length: 6_000 }, (_, i) => [`r${round}-${i}`, { n: i }]),
      );
      expect(cache.text({ many })).toBe(canonicalize({ many }));
    }
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deepEqual, type JsonValue } from "./json.ts";
import { changePasses, quickEqual } from "./merge-quick.ts";

// A chain of `levels` nested arrays around `inner`.
function nested(levels: number, inner: JsonValue): JsonValue {
  let value = inner;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

describe("quickEqual", () => {
  it("agrees with deepEqual on JSON values", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        const copy = JSON.parse(JSON.stringify(a)) as JsonValue;
        expect(quickEqual(a as JsonValue, copy, 0, 512)).toBe(true);
        expect(quickEqual(a as JsonValue, b as JsonValue, 0, 512)).toBe(
          deepEqual(a as JsonValue, b as JsonValue),
        );
      }),
    );
  });

  it("answers false only for a difference met before any non-JSON value, in jsonEqual's order", () => {
    // Members are met last to first, elements first to last.
    expect(quickEqual({ a: [Number.NaN], b: 1 }, { a: [Number.NaN], b: 2 }, 0, 512)).toBe(false);
    expect(quickEqual({ a: 1, b: [Number.NaN] }, { a: 2, b: [Number.NaN] }, 0, 512)).toBe(
      undefined,
    );
    expect(quickEqual([1, Number.NaN], [2, Number.NaN], 0, 512)).toBe(false);
    expect(quickEqual([Number.NaN, 1], [Number.NaN, 2], 0, 512)).toBe(undefined);
    expect(quickEqual({ a: new Date(0) }, { a: new Date(0) }, 0, 512)).toBe(undefined);
    expect(quickEqual({ b: [Number.NaN], a: 1 }, { b: [Number.NaN], c: 1 }, 0, 512)).toBe(false);
  });

  it("gives up at the depth limit and beyond its own recursion bound", () => {
    expect(quickEqual([[1]], [[1]], 0, 1)).toBe(undefined);
    expect(quickEqual(nested(100, 1), nested(100, 1), 0, 512)).toBe(undefined);
    expect(quickEqual(nested(30, 1), nested(30, 1), 0, 512)).toBe(true);
  });
});

describe("changePasses", () => {
  it("passes JSON and what is base's own reference", () => {
    const shared = { bad: Number.NaN };
    expect(changePasses({ a: [1, "x", null, true, { b: 2 }] }, undefined, 0, 512)).toBe(true);
    expect(changePasses({ shared, n: 1 }, { shared }, 0, 512)).toBe(true);
  });

  it("does not vouch for anything that is not JSON, nor for a copy of bad shared data", () => {
    const shared = { bad: Number.NaN };
    expect(changePasses({ a: [1, { b: Number.NaN }] }, undefined, 0, 512)).toBe(false);
    expect(changePasses({ a: undefined }, {}, 0, 512)).toBe(false);
    expect(changePasses([new Date(0)], [], 0, 512)).toBe(false);
    expect(changePasses({ shared: { ...shared } }, { shared }, 0, 512)).toBe(false);
    // A member base lacks is never a match, even when both read as undefined.
    expect(changePasses([1, undefined], [1], 0, 512)).toBe(false);
  });

  it("does not vouch for cycles, nesting past the limit or past its own recursion bound", () => {
    const cycle: { self?: unknown } = {};
    cycle.self = cycle;
    expect(changePasses(cycle, undefined, 0, 512)).toBe(false);
    expect(changePasses({ a: { b: 1 } }, undefined, 1, 2)).toBe(false);
    expect(changePasses(nested(100, 1), undefined, 0, 512)).toBe(false);
    expect(changePasses(nested(30, 1), undefined, 0, 512)).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { boundedEqual, boundedEqualBoth, keyCount } from "./bounded-equal.ts";
import type { JsonValue } from "./json.ts";

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe("boundedEqual", () => {
  it("tells equal from unequal values that share nothing", () => {
    const a = { id: "t1", tags: ["x", "y"], result: { score: 1, note: null } };
    expect(boundedEqual(a, copy(a), 8, 32)).toBe(true);
    expect(boundedEqual(a, { ...a, tags: ["x"] }, 8, 32)).toBe(false);
    expect(boundedEqual(a, { ...a, extra: 1 }, 8, 32)).toBe(false);
    expect(boundedEqual({ ...a, extra: 1 }, a, 8, 32)).toBe(false);
    expect(boundedEqual([1, { a: 1 }], [1, { a: 2 }], 8, 32)).toBe(false);
    expect(boundedEqual([], {}, 8, 32)).toBe(false);
  });

  it("never mistakes an inherited member for a JSON one", () => {
    const own = JSON.parse('{"constructor": 1, "__proto__": {"x": 1}}') as JsonValue;
    expect(boundedEqual({ toString: 1 }, { valueOf: 1 }, 8, 32)).toBe(false);
    expect(boundedEqual(own, JSON.parse('{"constructor": 1, "__proto__": {"x": 1}}'), 8, 32)).toBe(
      true,
    );
    expect(boundedEqual(own, JSON.parse('{"constructor": 1, "other": {"x": 1}}'), 8, 32)).toBe(
      false,
    );
  });

  it("gives up (undefined) past its depth or node limit, however equal the values", () => {
    let deep: JsonValue = 0;
    for (let i = 0; i < 20; i++) deep = [deep];
    expect(boundedEqual(deep, copy(deep), 8, 1_000)).toBeUndefined();
    expect(boundedEqual(deep, copy(deep), 30, 1_000)).toBe(true);
    const wide = Array.from({ length: 50 }, (_, i) => ({ i }));
    expect(boundedEqual(wide, copy(wide), 8, 10)).toBeUndefined();
    expect(boundedEqual(wide, copy(wide), 8, 100)).toBe(true);
  });
});

describe("boundedEqualBoth", () => {
  it("is true exactly when boundedEqual is true for both sides", () => {
    const base = { id: "t1", tags: ["x", "y"], result: { score: 1 } };
    expect(boundedEqualBoth(base, copy(base), copy(base), 8, 32)).toBe(true);
    expect(boundedEqualBoth(base, base, copy(base), 8, 32)).toBe(true);
    expect(boundedEqualBoth(base, copy(base), { ...base, tags: ["x"] }, 8, 32)).toBe(false);
    expect(boundedEqualBoth(base, { ...base, extra: 1 }, base, 8, 32)).toBe(false);
    const { result: _, ...fewer } = base;
    expect(boundedEqualBoth(base, base, { ...fewer, other: 1 }, 8, 32)).toBe(false);
    expect(boundedEqualBoth([1], [1], [1, 2], 8, 32)).toBe(false);
  });

  it("never mistakes an inherited member for a JSON one", () => {
    const own = JSON.parse('{"constructor": 1, "b": 2}') as JsonValue;
    expect(boundedEqualBoth(own, { toString: 1, b: 2 }, own, 8, 32)).toBe(false);
    expect(boundedEqualBoth({ constructor: 1 }, copy({ constructor: 1 }), {}, 8, 32)).toBe(false);
  });

  it("gives each side its own node limit and stops at the depth limit", () => {
    const wide = Array.from({ length: 50 }, (_, i) => ({ i }));
    expect(boundedEqualBoth(wide, copy(wide), copy(wide), 8, 51)).toBe(true);
    expect(boundedEqualBoth(wide, copy(wide), copy(wide), 8, 50)).toBe(false);
    expect(boundedEqualBoth(wide, wide, copy(wide), 8, 51)).toBe(true);
    let deep: JsonValue = 0;
    for (let i = 0; i < 20; i++) deep = [deep];
    expect(boundedEqualBoth(deep, copy(deep), deep, 8, 1_000)).toBe(false);
    expect(boundedEqualBoth(deep, copy(deep), deep, 30, 1_000)).toBe(true);
  });
});

describe("keyCount", () => {
  it("counts own enumerable keys only", () => {
    const object = Object.create({ inherited: 1 }) as Record<string, number>;
    object.own = 1;
    Object.defineProperty(object, "hidden", { value: 1, enumerable: false });
    expect(keyCount(object)).toBe(1);
    expect(keyCount(JSON.parse('{"__proto__": 1, "a": 2}') as object)).toBe(2);
  });
});

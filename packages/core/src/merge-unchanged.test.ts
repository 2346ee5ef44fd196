import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { JsonObject, JsonValue } from "./json.ts";
import { ABSENT } from "./merge-side.ts";
import { entersAlike, plainlyChangedFrom, unchanged } from "./merge-unchanged.ts";

const copy = <T extends JsonValue>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe("unchanged", () => {
  it("answers whether both sides equal base, within its limits", () => {
    const base = { a: [1, { b: 2 }], c: "x" };
    expect(unchanged(base, copy(base), copy(base), 512)).toBe(true);
    expect(unchanged(base, copy(base), { ...base, c: "y" }, 512)).toBe(false);
    expect(unchanged(base, ABSENT, base, 512)).toBe(false);
    // No depth left to enter the sides.
    expect(unchanged(base, copy(base), copy(base), 0)).toBe(false);
  });
});

describe("entersAlike", () => {
  it("enters only containers of base's type, and arrays of base's length", () => {
    expect(entersAlike({ a: 1 }, { b: 2 })).toBe(true);
    expect(entersAlike([1], [2])).toBe(true);
    expect(entersAlike([1, 2], [1])).toBe(false);
    expect(entersAlike([], {})).toBe(false);
    expect(entersAlike(1, 1)).toBe(false);
    expect(entersAlike(ABSENT, {})).toBe(false);
  });
});

describe("plainlyChangedFrom", () => {
  it("sees a scalar, length or type change without the check, from `start` on", () => {
    const tags = ["a"];
    const base = [tags, { n: 1 }, 1];
    expect(plainlyChangedFrom(0, base, [tags, { n: 1 }, 2], base, 512)).toBe(true);
    expect(plainlyChangedFrom(0, base, base, [tags, { n: 1 }, 1, 4], 512)).toBe(false);
    expect(plainlyChangedFrom(0, base, [["a", "b"], ...base.slice(1)], base, 512)).toBe(true);
    // A copy that may still be equal is left to the check, and so is a change before `start`.
    expect(plainlyChangedFrom(0, base, [tags, { n: 2 }, 1], base, 512)).toBe(false);
    expect(plainlyChangedFrom(1, base, [["a", "b"], ...base.slice(1)], base, 512)).toBe(false);
    // With no depth left, any member a side does not share differs.
    expect(plainlyChangedFrom(0, base, [tags, { n: 1 }, 1], base, 1)).toBe(true);
  });

  it("answers true only where the check answers false", () => {
    const leaf = fc.constantFrom<JsonValue>(0, 1, "x", null, [], [0], [0, 1], {}, { a: 0 });
    const member = fc.oneof(leaf, fc.array(leaf, { maxLength: 2 }));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(member, member, member, fc.nat(3)), { maxLength: 4 }),
        fc.nat(20),
        (rows, depthLeft) => {
          // Each side's member is base's own, an equal copy or its own value.
          const pick = (b: JsonValue, own: JsonValue, how: number) =>
            how === 0 ? b : how === 1 ? copy(b) : own;
          const base = rows.map(([b]) => b);
          const ours = rows.map(([b, o, , how]) => pick(b, o, how % 3));
          const theirs = rows.map(([b, , t, how]) => pick(b, t, (how + 1) % 3));
          const object = (members: JsonValue[]): JsonObject =>
            Object.fromEntries(members.map((value, i) => [`k${i}`, value]));
          if (plainlyChangedFrom(0, base, ours, theirs, depthLeft)) {
            expect(unchanged(object(base), object(ours), object(theirs), depthLeft)).toBe(false);
          }
        },
      ),
    );
  });
});

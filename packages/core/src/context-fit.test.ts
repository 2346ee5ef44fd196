import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fitValue, tokensOf } from "./context-fit.ts";
import type { JsonValue } from "./json.ts";
import { getAt, hasAt } from "./pointer.ts";
import { estimateTokens } from "./token-counter.ts";

const count = estimateTokens;

describe("fitValue", () => {
  it("keeps a value that fits as it is", () => {
    const value = { status: "ready", tags: ["a", "b"] };
    expect(fitValue(value, "/data", 100, count)).toEqual({
      value,
      tokens: tokensOf(value, count),
      cuts: [],
    });
  });

  it("leaves out object members that do not fit and names them", () => {
    const value = { big: "word ".repeat(200), small: 1 };
    const fitted = fitValue(value, "/data", 10, count);
    expect(fitted?.value).toEqual({ small: 1 });
    expect(fitted?.cuts).toEqual([{ ref: "/data/big", tokens: expect.any(Number) }]);
    expect(fitted?.cuts[0]?.tokens).toBeGreaterThan(10);
  });

  it("opens a member that does not fit whole", () => {
    const value = { task: { id: "t1", notes: "word ".repeat(200) } };
    const fitted = fitValue(value, "", 20, count);
    expect(fitted?.value).toEqual({ task: { id: "t1" } });
    expect(fitted?.cuts.map((cut) => cut.ref)).toEqual(["/task/notes"]);
  });

  it("keeps an array's newest items and counts the rest", () => {
    const log = Array.from({ length: 50 }, (_, i) => `entry ${i}`);
    const fitted = fitValue(log, "/data/log", 20, count);
    const kept = fitted?.value as string[];
    expect(kept.length).toBeGreaterThan(0);
    expect(kept).toEqual(log.slice(log.length - kept.length));
    expect(fitted?.cuts).toEqual([
      { ref: "/data/log", count: 50 - kept.length, tokens: expect.any(Number) },
    ]);
  });

  it("never cuts a string", () => {
    expect(fitValue("word ".repeat(100), "/name", 10, count)).toBeUndefined();
  });

  it("escapes member names in the pointers it reports", () => {
    const fitted = fitValue({ "a/b": "word ".repeat(100), c: 1 }, "", 10, count);
    expect(fitted?.cuts[0]?.ref).toBe("/a~1b");
  });

  it("fits the allowance and copies only what the value holds, whatever the value", () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 4 }),
        fc.integer({ min: 1, max: 200 }),
        (raw, allowance) => {
          const value = raw as JsonValue;
          const fitted = fitValue(value, "", allowance, count);
          if (fitted === undefined) return;
          expect(fitted.tokens).toBe(tokensOf(fitted.value, count));
          expect(fitted.tokens).toBeLessThanOrEqual(allowance);
          expectPartOf(fitted.value, value);
          for (const cut of fitted.cuts) expect(hasAt(value, cut.ref)).toBe(true);
        },
      ),
    );
  });
});

/** Every leaf of `part` is the value's own, at the same place (arrays: a suffix of items). */
function expectPartOf(part: JsonValue, whole: JsonValue): void {
  if (part === null || typeof part !== "object") {
    expect(part).toEqual(whole);
  } else if (Array.isArray(part)) {
    expect(Array.isArray(whole)).toBe(true);
    const items = whole as JsonValue[];
    const offset = items.length - part.length;
    for (const [i, item] of part.entries()) expectPartOf(item, items[offset + i] as JsonValue);
  } else {
    for (const key of Object.keys(part)) {
      expectPartOf(part[key] as JsonValue, getAt(whole, [key]));
    }
  }
}

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type DeltaEntry, encodeVersion, reconstruct } from "./delta-codec.ts";
import { diff } from "./diff.ts";
import { invertPatch } from "./invert.ts";
import { deepEqual, type JsonValue } from "./json.ts";
import { applyPatch } from "./patch.ts";

const json = fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<JsonValue>;

// Ids from a small pool, so two arrays share most of them in a different order.
const task = fc.record({
  id: fc.oneof(fc.integer({ min: 0, max: 12 }), fc.constantFrom("a", "b", "c", "d", "__proto__")),
  status: fc.constantFrom("todo", "doing", "done"),
  data: json,
});
const board = fc.record({
  tasks: fc.uniqueArray(task, { selector: (t) => t.id, maxLength: 12 }),
  tags: fc.array(fc.constantFrom("x", "y", "z", 1, null), { maxLength: 6 }),
  meta: json,
  // Keys that need escaping or could pollute a prototype if written carelessly.
  odd: fc.dictionary(fc.constantFrom("__proto__", "constructor", "a/b", "~0", "", "x"), json),
}) as fc.Arbitrary<JsonValue>;

const pairs = fc.oneof(fc.tuple(json, json), fc.tuple(board, board));
const runs = { numRuns: 250 };

function clone(value: JsonValue): JsonValue {
  return JSON.parse(JSON.stringify(value));
}

function freeze(value: JsonValue): JsonValue {
  if (typeof value === "object" && value !== null) {
    for (const child of Object.values(value)) freeze(child);
    Object.freeze(value);
  }
  return value;
}

describe("JSON Patch laws", () => {
  it("applying diff(a, b) to a gives b, leaving a untouched", () => {
    fc.assert(
      fc.property(pairs, ([a, b]) => {
        const before = clone(a);
        expect(deepEqual(applyPatch(freeze(a), diff(a, b)), b)).toBe(true);
        expect(deepEqual(a, before)).toBe(true);
      }),
      runs,
    );
  });

  it("diff of equal documents is empty", () => {
    fc.assert(
      fc.property(fc.oneof(json, board), (a) => {
        expect(diff(a, clone(a))).toEqual([]);
      }),
      runs,
    );
  });

  it("the inverse of diff(a, b) takes b back to a", () => {
    fc.assert(
      fc.property(pairs, ([a, b]) => {
        const patch = diff(a, b);
        expect(deepEqual(applyPatch(b, invertPatch(a, patch)), a)).toBe(true);
      }),
      runs,
    );
  });

  it("reconstruct gives back every version of a branching history", () => {
    const history = fc.record({
      states: fc.array(board, { minLength: 1, maxLength: 10 }),
      parents: fc.array(fc.nat(), { maxLength: 10 }),
      keyframeInterval: fc.integer({ min: 1, max: 5 }),
    });
    fc.assert(
      fc.property(history, ({ states, parents, keyframeInterval }) => {
        const entries = new Map<number, DeltaEntry>();
        states.forEach((state, version) => {
          // Each version's parent is any earlier one, so chains cross branches.
          const parent = version === 0 ? undefined : (parents[version] ?? 0) % version;
          const entry = parent === undefined ? undefined : entries.get(parent);
          const previous = entry && { entry, state: states[entry.version] as JsonValue };
          entries.set(version, encodeVersion(previous, { version, state }, { keyframeInterval }));
        });
        states.forEach((state, version) => {
          let loads = 0;
          const rebuilt = reconstruct(version, (n) => {
            loads++;
            return entries.get(n);
          });
          expect(deepEqual(rebuilt, state)).toBe(true);
          expect(loads).toBeLessThanOrEqual(keyframeInterval);
        });
      }),
      { numRuns: 100 },
    );
  });
});

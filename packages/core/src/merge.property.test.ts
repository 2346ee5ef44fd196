import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Conflict } from "./conflict.ts";
import { deepEqual, type JsonObject, type JsonValue, setOwn } from "./json.ts";
import { merge } from "./merge.ts";

// Few names, so independent documents overlap often; the risky names are among them.
const name = fc.constantFrom("a", "b", "c", "__proto__", "constructor");

function objectOf(entries: ReadonlyArray<readonly [string, JsonValue]>): JsonObject {
  const object: JsonObject = {};
  for (const [key, value] of entries) setOwn(object, key, value);
  return object;
}

const { doc, plain } = fc.letrec<{ doc: JsonValue; plain: JsonValue; tasks: JsonValue }>((tie) => ({
  // Any document, id-keyed arrays of tasks included.
  doc: fc.oneof({ depthSize: "small" }, tie("plain"), tie("tasks")),
  // Documents without id-keyed arrays: no names "id", and arrays hold no objects.
  plain: fc.oneof(
    { depthSize: "small" },
    fc.constantFrom<JsonValue>(null, true, 0, 1, "x", "y"),
    fc.array(fc.tuple(name, tie("plain")), { maxLength: 4 }).map(objectOf),
    fc.array(fc.constantFrom<JsonValue>(0, 1, "x"), { maxLength: 3 }),
  ),
  tasks: fc
    .uniqueArray(
      fc.record({ id: fc.constantFrom<JsonValue>("t1", "t2", "t3", 1, 2), v: tie("doc") }),
      {
        selector: (task) => task.id,
        maxLength: 4,
      },
    )
    .map((tasks): JsonValue => tasks),
}));

// A copy that shares no references, so the merge must compare by structure.
const copy = (value: JsonValue): JsonValue => JSON.parse(JSON.stringify(value));

const byPath = (a: Conflict, b: Conflict): number =>
  a.path < b.path ? -1 : a.path > b.path ? 1 : 0;

function swapped(conflict: Conflict): Conflict {
  const { ours, theirs, ...rest } = conflict;
  return {
    ...rest,
    ...(theirs === undefined ? {} : { ours: theirs }),
    ...(ours === undefined ? {} : { theirs: ours }),
  };
}

describe("merge laws", () => {
  it("merge(base, x, base) is x with no conflicts", () => {
    fc.assert(
      fc.property(doc, doc, (base, x) => {
        for (const theirs of [base, copy(base)]) {
          const result = merge(base, x, theirs);
          expect(deepEqual(result.value, x)).toBe(true);
          expect(result.conflicts).toEqual([]);
        }
      }),
    );
  });

  it("merge(base, base, x) is x with no conflicts", () => {
    fc.assert(
      fc.property(doc, doc, (base, x) => {
        expect(merge(base, base, x).value).toBe(x);
        const result = merge(base, copy(base), x);
        expect(deepEqual(result.value, x)).toBe(true);
        expect(result.conflicts).toEqual([]);
      }),
    );
  });

  it("merge(base, x, x) is x with no conflicts", () => {
    fc.assert(
      fc.property(doc, doc, (base, x) => {
        for (const theirs of [x, copy(x)]) {
          const result = merge(base, x, theirs);
          expect(deepEqual(result.value, x)).toBe(true);
          expect(result.conflicts).toEqual([]);
        }
      }),
    );
  });

  it("swapping the sides swaps them in every conflict and keeps the clean paths", () => {
    fc.assert(
      fc.property(plain, plain, plain, (base, ours, theirs) => {
        const forward = merge(base, ours, theirs);
        const backward = merge(base, theirs, ours);
        expect([...backward.conflicts].sort(byPath)).toEqual(
          [...forward.conflicts].map(swapped).sort(byPath),
        );
        expect([...backward.clean].sort()).toEqual([...forward.clean].sort());
        const mine = merge(base, ours, theirs, { defaultStrategy: "ours" }).value;
        const yours = merge(base, theirs, ours, { defaultStrategy: "theirs" }).value;
        expect(deepEqual(mine, yours)).toBe(true);
      }),
    );
  });
});

type Edit = { kind: "keep" } | { kind: "delete" } | { kind: "set"; value: JsonValue };

const edit = fc.oneof(
  fc.constant<Edit>({ kind: "keep" }),
  fc.constant<Edit>({ kind: "delete" }),
  doc.map((value): Edit => ({ kind: "set", value })),
);

// Applies edits to the named keys of an object, leaving the others as they are (shared).
function edited(base: JsonObject, edits: ReadonlyArray<readonly [string, Edit]>): JsonObject {
  const result = objectOf(Object.entries(base));
  for (const [key, change] of edits) {
    if (change.kind === "delete") delete result[key];
    if (change.kind === "set") setOwn(result, key, change.value);
  }
  return result;
}

describe("merge of disjoint edits", () => {
  it("gives the same value and no conflicts whichever side is ours", () => {
    const keys = ["k0", "k1", "k2", "k3", "k4", "k5"];
    const scenario = fc.record({
      values: fc.array(doc, { minLength: 6, maxLength: 6 }),
      nested: fc.record({ p: doc, q: doc }),
      split: fc.integer({ min: 0, max: 6 }),
      oursEdits: fc.array(edit, { minLength: 7, maxLength: 7 }),
      theirsEdits: fc.array(edit, { minLength: 7, maxLength: 7 }),
    });
    fc.assert(
      fc.property(scenario, ({ values, nested, split, oursEdits, theirsEdits }) => {
        const base = objectOf([
          ...keys.map((key, i) => [key, values[i] ?? null] as const),
          ["nested", nested],
        ]);
        // Ours edits the keys before the split and adds its own; theirs the rest, and their own.
        const mine = keys
          .slice(0, split)
          .map((key, i) => [key, oursEdits[i] ?? { kind: "keep" }] as const);
        const yours = keys
          .slice(split)
          .map((key, i) => [key, theirsEdits[i] ?? { kind: "keep" }] as const);
        const ours = edited(base, [...mine, ["mine", oursEdits[6] ?? { kind: "keep" }]]);
        const theirs = edited(base, [...yours, ["yours", theirsEdits[6] ?? { kind: "keep" }]]);
        // Inside one shared subtree too: ours changes p, theirs changes q.
        ours.nested = edited(nested, [["p", oursEdits[5] ?? { kind: "keep" }]]);
        theirs.nested = edited(nested, [["q", theirsEdits[5] ?? { kind: "keep" }]]);

        const forward = merge(base, ours, theirs);
        const backward = merge(base, theirs, ours);
        expect(forward.conflicts).toEqual([]);
        expect(backward.conflicts).toEqual([]);
        expect(deepEqual(forward.value, backward.value)).toBe(true);
        const expected = edited(edited(base, mine), yours);
        for (const [key, value] of [
          ["mine", ours.mine],
          ["yours", theirs.yours],
        ] as const) {
          if (value !== undefined) setOwn(expected, key, value);
        }
        const expectedNested = edited(edited(nested, [["p", oursEdits[5] ?? { kind: "keep" }]]), [
          ["q", theirsEdits[5] ?? { kind: "keep" }],
        ]);
        setOwn(expected, "nested", expectedNested);
        expect(deepEqual(forward.value, expected)).toBe(true);
      }),
    );
  });
});

import { describe, expect, it } from "vitest";
import type { ErrorCode } from "./errors.ts";
import type { JsonValue } from "./json.ts";
import { type JsonPatch, parsePatch } from "./json-patch.ts";
import { applyPatch } from "./patch.ts";
import { catchError } from "./testing/catch-error.ts";

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function nested(levels: number): JsonValue {
  let value: JsonValue = "leaf";
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

type Example = { doc: JsonValue; patch: unknown; expected?: JsonValue; error?: ErrorCode };

// RFC 6902 Appendix A, verbatim.
const appendixA: Record<string, Example> = {
  "A.1 adds an object member": {
    doc: { foo: "bar" },
    patch: [{ op: "add", path: "/baz", value: "qux" }],
    expected: { baz: "qux", foo: "bar" },
  },
  "A.2 adds an array element": {
    doc: { foo: ["bar", "baz"] },
    patch: [{ op: "add", path: "/foo/1", value: "qux" }],
    expected: { foo: ["bar", "qux", "baz"] },
  },
  "A.3 removes an object member": {
    doc: { baz: "qux", foo: "bar" },
    patch: [{ op: "remove", path: "/baz" }],
    expected: { foo: "bar" },
  },
  "A.4 removes an array element": {
    doc: { foo: ["bar", "qux", "baz"] },
    patch: [{ op: "remove", path: "/foo/1" }],
    expected: { foo: ["bar", "baz"] },
  },
  "A.5 replaces a value": {
    doc: { baz: "qux", foo: "bar" },
    patch: [{ op: "replace", path: "/baz", value: "boo" }],
    expected: { baz: "boo", foo: "bar" },
  },
  "A.6 moves a value": {
    doc: { foo: { bar: "baz", waldo: "fred" }, qux: { corge: "grault" } },
    patch: [{ op: "move", from: "/foo/waldo", path: "/qux/thud" }],
    expected: { foo: { bar: "baz" }, qux: { corge: "grault", thud: "fred" } },
  },
  "A.7 moves an array element": {
    doc: { foo: ["all", "grass", "cows", "eat"] },
    patch: [{ op: "move", from: "/foo/1", path: "/foo/3" }],
    expected: { foo: ["all", "cows", "eat", "grass"] },
  },
  "A.8 passes a test": {
    doc: { baz: "qux", foo: ["a", 2, "c"] },
    patch: [
      { op: "test", path: "/baz", value: "qux" },
      { op: "test", path: "/foo/1", value: 2 },
    ],
    expected: { baz: "qux", foo: ["a", 2, "c"] },
  },
  "A.9 fails a test": {
    doc: { baz: "qux" },
    patch: [{ op: "test", path: "/baz", value: "bar" }],
    error: "PATCH_TEST_FAILED",
  },
  "A.10 adds a nested member object": {
    doc: { foo: "bar" },
    patch: [{ op: "add", path: "/child", value: { grandchild: {} } }],
    expected: { foo: "bar", child: { grandchild: {} } },
  },
  "A.11 ignores unrecognized members": {
    doc: { foo: "bar" },
    patch: [{ op: "add", path: "/baz", value: "qux", xyz: 123 }],
    expected: { foo: "bar", baz: "qux" },
  },
  "A.12 refuses to add to a nonexistent target": {
    doc: { foo: "bar" },
    patch: [{ op: "add", path: "/baz/bat", value: "qux" }],
    error: "INVALID_PATCH",
  },
  "A.13 refuses an operation with a duplicate op (the last one, remove, has no target)": {
    doc: { foo: "bar" },
    patch: JSON.parse('[{ "op": "add", "path": "/baz", "value": "qux", "op": "remove" }]'),
    error: "INVALID_PATCH",
  },
  "A.14 decodes ~01 as ~1": {
    doc: { "/": 9, "~1": 10 },
    patch: [{ op: "test", path: "/~01", value: 10 }],
    expected: { "/": 9, "~1": 10 },
  },
  "A.15 does not equate strings and numbers": {
    doc: { "/": 9, "~1": 10 },
    patch: [{ op: "test", path: "/~01", value: "10" }],
    error: "PATCH_TEST_FAILED",
  },
  "A.16 adds an array value": {
    doc: { foo: ["bar"] },
    patch: [{ op: "add", path: "/foo/-", value: ["abc", "def"] }],
    expected: { foo: ["bar", ["abc", "def"]] },
  },
};

describe("applyPatch", () => {
  it.each(Object.entries(appendixA))("RFC 6902 %s", (_, { doc, patch, expected, error }) => {
    const frozen = deepFreeze(doc);
    if (error === undefined) expect(applyPatch(frozen, parsePatch(patch))).toEqual(expected);
    else expect(catchError(() => applyPatch(frozen, parsePatch(patch))).code).toBe(error);
  });

  it("applies all operations or none, leaving the input untouched", () => {
    const doc = deepFreeze({ tasks: [{ id: 1, done: false }], count: 1 });
    const error = catchError(() =>
      applyPatch(doc, [
        { op: "replace", path: "/tasks/0/done", value: true },
        { op: "add", path: "/tasks/-", value: { id: 2, done: false } },
        { op: "replace", path: "/count", value: 2 },
        { op: "remove", path: "/missing" },
      ]),
    );
    expect(error).toMatchObject({ code: "INVALID_PATCH", path: "/missing", details: { index: 3 } });
    expect(doc).toEqual({ tasks: [{ id: 1, done: false }], count: 1 });
  });

  it("shares every untouched subtree with the input", () => {
    const doc = deepFreeze({ big: { list: [1, 2, 3] }, tasks: [{ a: 1 }, { b: 2 }], meta: {} });
    const out = applyPatch(doc, [
      { op: "replace", path: "/tasks/1/b", value: 3 },
      { op: "add", path: "/tasks/1/c", value: 4 },
    ]) as { big: JsonValue; meta: JsonValue; tasks: JsonValue[] };
    expect(out).toEqual({ big: { list: [1, 2, 3] }, tasks: [{ a: 1 }, { b: 3, c: 4 }], meta: {} });
    expect(out.big).toBe(doc.big);
    expect(out.meta).toBe(doc.meta);
    expect(out.tasks[0]).toBe(doc.tasks[0]);
    expect(out.tasks[1]).not.toBe(doc.tasks[1]);
  });

  it("keeps a copied value independent of its source", () => {
    const out = applyPatch({ a: { x: 1 } }, [
      { op: "add", path: "/a/y", value: 2 },
      { op: "copy", from: "/a", path: "/b" },
      { op: "replace", path: "/b/x", value: 9 },
    ]);
    expect(out).toEqual({ a: { x: 1, y: 2 }, b: { x: 9, y: 2 } });
  });

  it("replaces, adds and tests the whole document at the empty pointer", () => {
    expect(applyPatch({ a: 1 }, [{ op: "replace", path: "", value: [1] }])).toEqual([1]);
    expect(applyPatch(1, [{ op: "add", path: "", value: { b: 2 } }])).toEqual({ b: 2 });
    expect(applyPatch([1], [{ op: "test", path: "", value: [1] }])).toEqual([1]);
  });

  it("treats a move to the same location as a no-op and compares tests structurally", () => {
    const doc = { a: { x: 1, y: [1, { z: 2 }] } };
    expect(applyPatch(doc, [{ op: "move", from: "/a", path: "/a" }])).toBe(doc);
    const test: JsonPatch = [{ op: "test", path: "/a", value: { y: [1, { z: 2 }], x: 1 } }];
    expect(applyPatch(doc, test)).toBe(doc);
  });

  it("stores __proto__, constructor and prototype as plain data", () => {
    const out = applyPatch({}, [
      { op: "add", path: "/__proto__", value: { polluted: true } },
      { op: "add", path: "/__proto__/deeper", value: 1 },
      { op: "add", path: "/constructor", value: { prototype: { polluted: true } } },
    ]);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out as object)).toEqual(["__proto__", "constructor"]);
    expect(JSON.stringify(out)).toBe(
      '{"__proto__":{"polluted":true,"deeper":1},"constructor":{"prototype":{"polluted":true}}}',
    );
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    const parsed = JSON.parse('{"__proto__":{"x":1},"b":1}');
    const copied = applyPatch(parsed, [{ op: "replace", path: "/b", value: 2 }]);
    expect(Object.hasOwn(copied as object, "__proto__")).toBe(true);
  });

  it.each([
    ["/__proto__/polluted", "add"],
    ["/constructor/prototype/polluted", "add"],
    ["/constructor", "remove"],
    ["/toString", "replace"],
  ] as const)("refuses inherited names as targets: %s (%s)", (path, op) => {
    const error = catchError(() => applyPatch({}, [{ op, path, value: true }] as JsonPatch));
    expect(error.code).toBe("INVALID_PATCH");
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it.each<[string, unknown, JsonValue, Partial<{ code: ErrorCode; path: string }>]>([
    ["a non-array patch", { op: "remove", path: "/a" }, {}, { code: "INVALID_PATCH" }],
    ["an unknown op", [{ op: "frob", path: "/a" }], {}, { code: "INVALID_PATCH", path: "/a" }],
    ["a missing value", [{ op: "add", path: "/a" }], {}, { code: "INVALID_PATCH", path: "/a" }],
    [
      "a bad pointer",
      [{ op: "remove", path: "a" }],
      { a: 1 },
      { code: "INVALID_PATCH", path: "a" },
    ],
    ["a bad escape", [{ op: "remove", path: "/~2" }], {}, { code: "INVALID_PATCH", path: "/~2" }],
    ["an index past the end", [{ op: "add", path: "/2", value: 0 }], [1], { path: "/2" }],
    ["a leading zero", [{ op: "replace", path: "/01", value: 0 }], [1, 2], { path: "/01" }],
    ["removing '-'", [{ op: "remove", path: "/-" }], [1], { code: "INVALID_PATCH", path: "/-" }],
    ["removing the root", [{ op: "remove", path: "" }], [1], { code: "INVALID_PATCH", path: "" }],
    ["adding under a scalar", [{ op: "add", path: "/a/b", value: 0 }], { a: 1 }, { path: "/a/b" }],
    ["a missing from", [{ op: "copy", from: "/x", path: "/y" }], {}, { path: "/x" }],
    [
      "a move into its own child",
      [{ op: "move", from: "/a", path: "/a/b" }],
      { a: {} },
      { path: "/a/b" },
    ],
    [
      "a test of a missing value",
      [{ op: "test", path: "/a", value: null }],
      {},
      { code: "PATCH_TEST_FAILED" },
    ],
    [
      "a non-JSON value",
      [{ op: "add", path: "/a", value: Number.NaN }],
      {},
      { code: "INVALID_JSON", path: "/a" },
    ],
  ])("reports %s with its code and path", (_, patch, doc, expected) => {
    const error = catchError(() => applyPatch(doc, patch as JsonPatch));
    expect(error).toMatchObject({ code: "INVALID_PATCH", ...expected });
  });

  it("limits the depth of the result, counting where a value lands", () => {
    const add: JsonPatch = [{ op: "add", path: "/a/b", value: nested(3) }];
    expect(applyPatch({ a: {} }, add, { maxDepth: 5 })).toEqual({ a: { b: nested(3) } });
    const error = catchError(() => applyPatch({ a: {} }, add, { maxDepth: 4 }));
    expect(error).toMatchObject({ code: "TOO_DEEP", path: "/a/b/a/a" });
    const copy: JsonPatch = [{ op: "copy", from: "/a", path: "/b/c/d" }];
    expect(
      catchError(() => applyPatch({ a: nested(2), b: { c: {} } }, copy, { maxDepth: 4 })).code,
    ).toBe("TOO_DEEP");
  });

  it("refuses a 10,000-level value and patches a 10,000-level document without recursion", () => {
    const deep = nested(10_000);
    const error = catchError(() => applyPatch({}, [{ op: "add", path: "/x", value: deep }]));
    expect(error.code).toBe("TOO_DEEP");
    const leaf = `${"/a".repeat(10_000)}`;
    const out = applyPatch(deep, [{ op: "replace", path: leaf, value: 1 }], { maxDepth: 20_000 });
    expect(applyPatch(out, [{ op: "test", path: leaf, value: 1 }], { maxDepth: 20_000 })).toBe(out);
  });
});

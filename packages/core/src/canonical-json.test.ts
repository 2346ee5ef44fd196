import referenceCanonicalize from "canonicalize";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalize } from "./canonical-json.ts";
import type { JsonObject, JsonValue } from "./json.ts";
import { catchError } from "./testing/catch-error.ts";

// RFC 8785 Appendix B: IEEE 754 bit patterns and the text JCS requires for each.
const appendixB: Array<[string, string]> = [
  ["0000000000000000", "0"],
  ["8000000000000000", "0"],
  ["0000000000000001", "5e-324"],
  ["8000000000000001", "-5e-324"],
  ["7fefffffffffffff", "1.7976931348623157e+308"],
  ["ffefffffffffffff", "-1.7976931348623157e+308"],
  ["4340000000000000", "9007199254740992"],
  ["c340000000000000", "-9007199254740992"],
  ["4430000000000000", "295147905179352830000"],
  ["44b52d02c7e14af5", "9.999999999999997e+22"],
  ["44b52d02c7e14af6", "1e+23"],
  ["44b52d02c7e14af7", "1.0000000000000001e+23"],
  ["444b1ae4d6e2ef4e", "999999999999999700000"],
  ["444b1ae4d6e2ef4f", "999999999999999900000"],
  ["444b1ae4d6e2ef50", "1e+21"],
  ["3eb0c6f7a0b5ed8c", "9.999999999999997e-7"],
  ["3eb0c6f7a0b5ed8d", "0.000001"],
  ["41b3de4355555553", "333333333.3333332"],
  ["41b3de4355555554", "333333333.33333325"],
  ["41b3de4355555555", "333333333.3333333"],
  ["41b3de4355555556", "333333333.3333334"],
  ["41b3de4355555557", "333333333.33333343"],
  ["becbf647612f3696", "-0.0000033333333333333333"],
  ["43143ff3c1cb0959", "1424953923781206.2"],
];

function double(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

function nest(depth: number, leaf: JsonValue, wrap: (inner: JsonValue) => JsonValue): JsonValue {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = wrap(value);
  return value;
}

// Rebuilds every object with its members in reverse insertion order.
function reverseKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value !== "object" || value === null) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value).reverse()) {
    Object.defineProperty(out, key, {
      value: reverseKeys(value[key] as JsonValue),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

describe("canonicalize", () => {
  it("writes the RFC 8785 §3.2.2 sample exactly", () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
        ' "literals": [null, true, false]}',
    );
    expect(canonicalize(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it("sorts member names by UTF-16 code units as in RFC 8785 §3.2.3", () => {
    const input = JSON.parse(
      '{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet With Dagesh",' +
        ' "1": "One", "\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control",' +
        ' "\\u00f6": "Latin Small Letter O With Diaeresis"}',
    );
    // Read the values off the text: parsing it again would put "1" first.
    const order = [...canonicalize(input).matchAll(/:"([^"]*)"/g)].map((match) => match[1]);
    expect(order).toEqual([
      "Carriage Return",
      "One",
      "Control",
      "Latin Small Letter O With Diaeresis",
      "Euro Sign",
      "Emoji: Grinning Face",
      "Hebrew Letter Dalet With Dagesh",
    ]);
  });

  it.each(appendixB)("writes the double 0x%s as %s (RFC 8785 Appendix B)", (hex, text) => {
    expect(canonicalize(double(hex))).toBe(text);
    expect(canonicalize([double(hex)])).toBe(`[${text}]`);
  });

  it.each([
    ["7fffffffffffffff", "NaN"],
    ["7ff0000000000000", "Infinity"],
    ["fff0000000000000", "-Infinity"],
  ])("refuses the double 0x%s (%s) with its path", (hex) => {
    expect(catchError(() => canonicalize(double(hex))).code).toBe("INVALID_JSON");
    const error = catchError(() => canonicalize({ a: [1, double(hex)] }));
    expect(error.code).toBe("INVALID_JSON");
    expect(error.path).toBe("/a/1");
  });

  it("writes literals, strings and empty containers as JSON.stringify does", () => {
    expect(canonicalize(null)).toBe("null");
    expect(canonicalize(true)).toBe("true");
    expect(canonicalize(false)).toBe("false");
    expect(canonicalize("a\u2028\u0000\t")).toBe(JSON.stringify("a\u2028\u0000\t"));
    expect(canonicalize([])).toBe("[]");
    expect(canonicalize({})).toBe("{}");
    expect(canonicalize({ b: [], a: {} })).toBe('{"a":{},"b":[]}');
  });

  it("orders array-index names as strings, not as engines enumerate them", () => {
    expect(canonicalize({ a: 3, "10": 1, "2": 2, "1": 0 })).toBe('{"1":0,"10":1,"2":2,"a":3}');
    expect(canonicalize([{ x: { "10": true, "9": false } }, { "!": 1, "0": 0 }])).toBe(
      '[{"x":{"10":true,"9":false}},{"!":1,"0":0}]',
    );
  });

  it("keeps a member named __proto__ as data", () => {
    const input = JSON.parse('{"b": 1, "__proto__": {"y": 2, "x": 1}}');
    expect(canonicalize(input)).toBe('{"__proto__":{"x":1,"y":2},"b":1}');
  });

  it("accepts a subtree shared by two members and objects without a prototype", () => {
    const shared = { b: 1, a: 2 };
    const bare: JsonObject = Object.create(null);
    bare.z = 0;
    bare.y = shared;
    expect(canonicalize({ y: shared, x: shared, w: bare })).toBe(
      '{"w":{"y":{"a":2,"b":1},"z":0},"x":{"a":2,"b":1},"y":{"a":2,"b":1}}',
    );
  });

  it("leaves its input untouched", () => {
    const input = { b: [{ d: 1, c: 2 }], a: null };
    canonicalize(input);
    expect(Object.keys(input)).toEqual(["b", "a"]);
    expect(Object.keys(input.b[0] ?? {})).toEqual(["d", "c"]);
  });

  it.each([
    ["undefined", { a: { b: undefined } }, "/a/b"],
    ["a function", { a: [0, () => 1] }, "/a/1"],
    ["a symbol", [Symbol("s")], "/0"],
    ["a bigint", { n: 1n }, "/n"],
    ["a Date", { when: new Date(0) }, "/when"],
    ["a Map", [new Map()], "/0"],
    ["a sparse array", { holes: Object.assign(new Array<number>(3), { 0: 1, 2: 3 }) }, "/holes/1"],
    ["a lone surrogate in a string", { s: ["ok", "\ud800x"] }, "/s/1"],
    ["a lone surrogate in a name", { o: { "a/\udc00": 1 } }, "/o/a~1\udc00"],
  ])("refuses %s as INVALID_JSON with its path", (_, input, path) => {
    const error = catchError(() => canonicalize(input as unknown as JsonValue));
    expect(error.code).toBe("INVALID_JSON");
    expect(error.path).toBe(path);
  });

  it("refuses a non-JSON root", () => {
    for (const root of [undefined, Number.NaN, "\udfff", () => 0]) {
      const error = catchError(() => canonicalize(root as unknown as JsonValue));
      expect(error.code).toBe("INVALID_JSON");
      expect(error.path).toBe("");
    }
  });

  it("refuses a cycle as INVALID_JSON where it closes", () => {
    const loop: JsonObject = { a: { b: [] } };
    ((loop.a as JsonObject).b as JsonValue[]).push(loop);
    const error = catchError(() => canonicalize({ root: loop }));
    expect(error.code).toBe("INVALID_JSON");
    expect(error.path).toBe("/root/a/b/0");
  });

  it("finds a cycle even when no depth limit applies", () => {
    const loop: JsonValue[] = [];
    loop.push(loop);
    const error = catchError(() => canonicalize(loop, { maxDepth: Number.POSITIVE_INFINITY }));
    expect(error.code).toBe("INVALID_JSON");
    expect(error.path).toBe("/0");
  });

  it("refuses nesting beyond maxDepth as TOO_DEEP", () => {
    const error = catchError(() => canonicalize(nest(10_000, 1, (inner) => [inner])));
    expect(error.code).toBe("TOO_DEEP");
    expect(error.path).toBe(`/0`.repeat(512));
    expect(catchError(() => canonicalize({ a: { b: 1 } }, { maxDepth: 1 })).path).toBe("/a");
  });

  it("writes 10,000 levels of nesting without overflowing the stack", () => {
    const arrays = nest(10_000, 1, (inner) => [inner]);
    expect(canonicalize(arrays, { maxDepth: 10_000 })).toBe(
      `${"[".repeat(10_000)}1${"]".repeat(10_000)}`,
    );
    const objects = nest(10_000, null, (inner) => ({ b: inner, a: 0 }));
    const text = canonicalize(objects, { maxDepth: 10_000 });
    expect(text).toBe(`${'{"a":0,"b":'.repeat(10_000)}null${"}".repeat(10_000)}`);
  });

  it("agrees with the canonicalize package on any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: "binary" }), (value) => {
        expect(canonicalize(value as JsonValue)).toBe(referenceCanonicalize(value));
      }),
      { numRuns: 200 },
    );
  });

  it("is invariant to the order members were inserted in", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const json = value as JsonValue;
        expect(canonicalize(reverseKeys(json))).toBe(canonicalize(json));
      }),
    );
  });

  it("is a fixed point: parsing canonical text and writing it again changes nothing", () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: "binary" }), (value) => {
        const text = canonicalize(value as JsonValue);
        expect(canonicalize(JSON.parse(text))).toBe(text);
      }),
    );
  });
});

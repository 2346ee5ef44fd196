import { describe, expect, it } from "vitest";
import type { JsonObject, JsonValue } from "./json.ts";
import { checkChange, jsonEqual } from "./merge-equal.ts";
import { catchError } from "./testing/catch-error.ts";

const at = { path: "/doc", depth: 0, maxDepth: 512 };

describe("jsonEqual", () => {
  it("answers arrays of different lengths unequal, but TOO_DEEP first at the depth limit", () => {
    expect(jsonEqual([1, 2], [1, 2, 3], at)).toBe(false);
    expect(jsonEqual([{}], [], { ...at, depth: 511 })).toBe(false);
    const limit = { path: "/doc", depth: 3, maxDepth: 3 };
    expect(catchError(() => jsonEqual([1], [1, 2], limit))).toMatchObject({ code: "TOO_DEEP" });
  });

  it("compares structure, ignoring key order", () => {
    expect(jsonEqual({ a: [1, { b: null }], c: "x" }, { c: "x", a: [1, { b: null }] }, at)).toBe(
      true,
    );
    expect(jsonEqual({ a: 1 }, { a: 1, b: 2 }, at)).toBe(false);
    expect(jsonEqual({ a: 1, c: 2 }, { a: 1, b: 2 }, at)).toBe(false);
    expect(jsonEqual([1, 2], [1], at)).toBe(false);
    expect(jsonEqual([], {}, at)).toBe(false);
    expect(jsonEqual(0, "0", at)).toBe(false);
  });

  it("refuses non-JSON data it meets, naming the path under the starting pointer", () => {
    const error = catchError(() =>
      jsonEqual({ "a/b": [1, undefined] } as unknown as JsonValue, { "a/b": [1, 2] }, at),
    );
    expect([error.code, error.path]).toEqual(["INVALID_JSON", "/doc/a~1b/1"]);
  });

  it("finds a difference or a non-JSON value in the same order whatever the path taken", () => {
    // Members are compared last to first, elements first to last.
    const nan = Number.NaN;
    expect(jsonEqual({ a: [nan], b: 1 }, { a: [nan], b: 2 }, at)).toBe(false);
    expect(catchError(() => jsonEqual({ a: 1, b: [nan] }, { a: 2, b: [nan] }, at)).path).toBe(
      "/doc/b/0",
    );
    expect(jsonEqual([1, nan], [2, nan], at)).toBe(false);
    expect(catchError(() => jsonEqual([nan, 1], [nan, 2], at)).path).toBe("/doc/0");
    // A key the other lacks makes them unequal before any member is compared.
    expect(jsonEqual({ a: 1, b: [nan] }, { c: 1, b: [nan] }, at)).toBe(false);
    expect(jsonEqual({ b: [nan], a: 1 }, { b: [nan], c: 1 }, at)).toBe(false);
  });

  it("compares values nested deeper than its recursive fast path goes", () => {
    let a: JsonValue = 1;
    let b: JsonValue = 1;
    let c: JsonValue = 2;
    for (let i = 0; i < 100; i++) [a, b, c] = [[a], [b], [c]];
    expect(jsonEqual(a, b, at)).toBe(true);
    expect(jsonEqual(a, c, at)).toBe(false);
  });

  it("reports two distinct cycles of the same shape as INVALID_JSON instead of looping", () => {
    const x: JsonObject = {};
    x.next = x;
    const y: JsonObject = {};
    y.next = y;
    const error = catchError(() => jsonEqual({ a: [x] }, { a: [y] }, at));
    expect([error.code, error.path]).toEqual(["INVALID_JSON", "/doc/a/0/next"]);
  });

  it("reports nesting past the limit as TOO_DEEP", () => {
    const error = catchError(() =>
      jsonEqual([[[1]]], [[[2]]], { path: "", depth: 0, maxDepth: 2 }),
    );
    expect([error.code, error.path]).toEqual(["TOO_DEEP", "/0/0"]);
  });
});

describe("checkChange", () => {
  it("skips what the change shares with base and checks the rest", () => {
    const shared = { bad: undefined } as unknown as JsonObject;
    expect(() => checkChange({ shared, n: [1, 2] }, { shared, n: [1] }, at)).not.toThrow();
    const error = catchError(() => checkChange({ shared, n: [1, Number.NaN] }, { shared }, at));
    expect([error.code, error.path]).toEqual(["INVALID_JSON", "/doc/n/1"]);
  });

  it("checks values nested deeper than its recursive fast path goes", () => {
    let value: JsonValue = [1];
    for (let i = 0; i < 100; i++) value = [value];
    expect(() => checkChange(value, undefined, at)).not.toThrow();
    const error = catchError(() => checkChange([value, [Number.NaN]], undefined, at));
    expect([error.code, error.path]).toEqual(["INVALID_JSON", "/doc/1/0"]);
  });

  it("does not mistake a missing member of base for a match", () => {
    const error = catchError(() => checkChange([1, undefined], [1], at));
    expect([error.code, error.path]).toEqual(["INVALID_JSON", "/doc/1"]);
    expect(catchError(() => checkChange({ a: undefined }, {}, at)).path).toBe("/doc/a");
  });

  it("reports a cycle as INVALID_JSON and deep nesting as TOO_DEEP", () => {
    const x: JsonObject = {};
    x.self = x;
    const cycle = catchError(() => checkChange({ x }, {}, at));
    expect([cycle.code, cycle.path]).toEqual(["INVALID_JSON", "/doc/x/self"]);
    const site = { path: "", depth: 1, maxDepth: 2 };
    const error = catchError(() => checkChange({ a: { b: 1 } }, null, site));
    expect([error.code, error.path, error.message]).toEqual([
      "TOO_DEEP",
      "/a",
      "nesting exceeds the limit of 2 levels",
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { formatPointer, getAt, hasAt, parsePointer } from "./pointer.ts";
import { catchError } from "./testing/catch-error.ts";

// RFC 6901 §5
const rfcDocument = {
  foo: ["bar", "baz"],
  "": 0,
  "a/b": 1,
  "c%d": 2,
  "e^f": 3,
  "g|h": 4,
  "i\\j": 5,
  'k"l': 6,
  " ": 7,
  "m~n": 8,
};

describe("JSON Pointer", () => {
  it.each([
    ["", rfcDocument],
    ["/foo", ["bar", "baz"]],
    ["/foo/0", "bar"],
    ["/", 0],
    ["/a~1b", 1],
    ["/c%d", 2],
    ["/e^f", 3],
    ["/g|h", 4],
    ["/i\\j", 5],
    ['/k"l', 6],
    ["/ ", 7],
    ["/m~0n", 8],
  ])("resolves the RFC 6901 §5 example %j", (pointer, expected) => {
    expect(getAt(rfcDocument, pointer)).toEqual(expected);
  });

  it("round-trips escapes, decoding ~1 before ~0", () => {
    expect(parsePointer("/~01")).toEqual(["~1"]);
    expect(formatPointer(["~1", "a/b"])).toBe("/~01/a~1b");
    expect(parsePointer(formatPointer(["~", "/", "~/~1"]))).toEqual(["~", "/", "~/~1"]);
  });

  it.each(["a", "/~2", "/a~"])("refuses the malformed pointer %j", (pointer) => {
    const error = catchError(() => parsePointer(pointer));
    expect(error.code).toBe("INVALID_POINTER");
    expect(error.path).toBe(pointer);
  });

  it("reports a missing value as NOT_FOUND with its path", () => {
    const error = catchError(() => getAt({ a: { b: 1 } }, "/a/c"));
    expect(error.code).toBe("NOT_FOUND");
    expect(error.path).toBe("/a/c");
  });

  it("treats inherited names and bad indexes as absent", () => {
    expect(hasAt({}, "/constructor")).toBe(false);
    expect(hasAt({}, "/__proto__")).toBe(false);
    expect(hasAt([1, 2], "/01")).toBe(false);
    expect(hasAt([1, 2], "/-")).toBe(false);
    expect(hasAt([1, 2], "/1")).toBe(true);
  });
});

import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { JsonPatch, parsePatch } from "./json-patch.ts";
import { catchError } from "./testing/catch-error.ts";

function nested(levels: number): unknown {
  let value: unknown = 0;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

describe("parsePatch", () => {
  it("accepts every RFC 6902 operation", () => {
    const patch = [
      { op: "add", path: "/a", value: { b: [1, null] } },
      { op: "remove", path: "/a/b/0" },
      { op: "replace", path: "", value: "x" },
      { op: "move", from: "/a~1b", path: "/c~0d" },
      { op: "copy", from: "/a", path: "/b/-" },
      { op: "test", path: "/a", value: null },
    ];
    expect(parsePatch(patch)).toEqual(patch);
  });

  it("drops members an operation does not define", () => {
    expect(parsePatch([{ op: "remove", path: "/a", value: 1, xyz: 2 }])).toEqual([
      { op: "remove", path: "/a" },
    ]);
  });

  it("names the operation and member of the first issue and lists them all", () => {
    const error = catchError(() =>
      parsePatch([
        { op: "add", path: "/a", value: 1 },
        { op: "remove", path: "/a" },
        { op: "move", path: "/b" },
        { op: "frob", path: "/c" },
      ]),
    );
    expect(error.code).toBe("INVALID_PATCH");
    expect(error.path).toBe("/2/from");
    expect(error.details).toEqual({
      issues: [
        { path: "/2/from", message: expect.stringContaining('"from"') },
        { path: "/3/op", message: expect.stringContaining('"frob"') },
      ],
    });
  });

  it.each([
    ["a non-array", { op: "add" }, ""],
    ["a non-object operation", [null], "/0"],
    ["a missing value", [{ op: "add", path: "/a" }], "/0/value"],
    ["a pointer without a leading slash", [{ op: "remove", path: "a" }], "/0/path"],
    ["a bad ~ escape", [{ op: "remove", path: "/a~2" }], "/0/path"],
    ["a non-string from", [{ op: "copy", from: 1, path: "/a" }], "/0/from"],
    ["a non-JSON value", [{ op: "test", path: "/a", value: () => 1 }], "/0/value"],
    ["a value nested too deep", [{ op: "add", path: "/a", value: nested(10_000) }], "/0/value"],
  ])("refuses %s", (_, input, path) => {
    const error = catchError(() => parsePatch(input));
    expect(error.code).toBe("INVALID_PATCH");
    expect(error.path).toBe(path);
  });

  it("exposes a schema usable with valibot directly", () => {
    expect(v.is(JsonPatch, [{ op: "test", path: "/a", value: [] }])).toBe(true);
    expect(v.is(JsonPatch, [{ op: "test", path: "/a", value: undefined }])).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import type { JsonObject } from "./json.ts";
import { checkJsonAt, jsonKind, refuseTooDeep } from "./merge-check.ts";
import { catchError } from "./testing/catch-error.ts";

describe("jsonKind", () => {
  it.each([
    [null, "null"],
    [true, "boolean"],
    [0, "number"],
    ["", "string"],
    [[], "array"],
    [{}, "object"],
    [Object.create(null), "object"],
    [undefined, undefined],
    [Number.POSITIVE_INFINITY, undefined],
    [new Date(0), undefined],
    [() => 1, undefined],
  ])("classifies %j as %s", (value, kind) => {
    expect(jsonKind(value)).toBe(kind);
  });
});

describe("refuseTooDeep", () => {
  it("reports a container met twice on a line as a cycle at the shallower place", () => {
    const loop: JsonObject = {};
    loop.next = loop;
    const error = catchError(() => refuseTooDeep([[{}, loop, loop]], ["a", "next"], "/doc", 2));
    expect([error.code, error.path]).toEqual(["INVALID_JSON", "/doc/a/next"]);
  });

  it("reports TOO_DEEP at the current path otherwise", () => {
    const error = catchError(() => refuseTooDeep([[{}, {}]], ["a"], "/doc", 1));
    expect([error.code, error.path, error.message]).toEqual([
      "TOO_DEEP",
      "/doc/a",
      "nesting exceeds the limit of 1 levels",
    ]);
  });
});

describe("checkJsonAt", () => {
  it("counts the depth from the document root", () => {
    expect(() => checkJsonAt({ b: 1 }, { path: "/a", depth: 1, maxDepth: 2 })).not.toThrow();
    const error = catchError(() => checkJsonAt({ b: [] }, { path: "/a", depth: 1, maxDepth: 2 }));
    expect([error.code, error.path, error.message]).toEqual([
      "TOO_DEEP",
      "/a/b",
      "nesting exceeds the limit of 2 levels",
    ]);
  });

  it("refuses non-JSON data, naming the path", () => {
    const error = catchError(() =>
      checkJsonAt([1, Number.NaN], { path: "/a", depth: 1, maxDepth: 9 }),
    );
    expect([error.code, error.path]).toEqual(["INVALID_JSON", "/a/1"]);
  });
});

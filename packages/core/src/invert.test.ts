import { describe, expect, it } from "vitest";
import { invertPatch } from "./invert.ts";
import type { JsonValue } from "./json.ts";
import type { JsonPatch } from "./json-patch.ts";
import { applyPatch } from "./patch.ts";
import { catchError } from "./testing/catch-error.ts";

function expectUndone(before: JsonValue, patch: JsonPatch): JsonPatch {
  const undo = invertPatch(before, patch);
  expect(applyPatch(applyPatch(before, patch), undo)).toEqual(before);
  return undo;
}

describe("invertPatch", () => {
  it("restores replaced and removed values", () => {
    const undo = expectUndone({ a: 1, b: [1, 2, 3] }, [
      { op: "replace", path: "/a", value: 2 },
      { op: "remove", path: "/b/1" },
    ]);
    expect(undo).toEqual([
      { op: "add", path: "/b/1", value: 2 },
      { op: "replace", path: "/a", value: 1 },
    ]);
  });

  it("removes what an add created, resolving '-' to the index it landed at", () => {
    const undo = expectUndone({ list: [1] }, [
      { op: "add", path: "/list/-", value: 2 },
      { op: "add", path: "/new", value: {} },
    ]);
    expect(undo).toEqual([
      { op: "remove", path: "/new" },
      { op: "remove", path: "/list/1" },
    ]);
  });

  it("restores what an add or copy overwrote", () => {
    expect(expectUndone({ a: 1, b: 2 }, [{ op: "add", path: "/a", value: 3 }])).toEqual([
      { op: "replace", path: "/a", value: 1 },
    ]);
    expectUndone({ a: { x: 1 }, b: 2 }, [{ op: "copy", from: "/a", path: "/b" }]);
    expectUndone({ a: 1 }, [{ op: "add", path: "", value: [1] }]);
  });

  it("moves a moved value back", () => {
    const before = { foo: ["all", "grass", "cows", "eat"] };
    expect(expectUndone(before, [{ op: "move", from: "/foo/1", path: "/foo/3" }])).toEqual([
      { op: "move", from: "/foo/3", path: "/foo/1" },
    ]);
    expect(expectUndone(before, [{ op: "move", from: "/foo/1", path: "/foo/1" }])).toEqual([]);
  });

  it("restores a value a move overwrote, even its own parent", () => {
    expectUndone({ a: 1, b: 2 }, [{ op: "move", from: "/a", path: "/b" }]);
    expectUndone({ a: { x: { y: 1 }, z: 2 } }, [{ op: "move", from: "/a/x", path: "/a" }]);
    expectUndone({ list: [{ x: 1 }, { x: 2, y: 3 }] }, [
      { op: "move", from: "/list/1/y", path: "/list/1" },
    ]);
  });

  it("ignores tests and undoes a sequence that revisits the same place", () => {
    expectUndone({ n: 0, list: [] }, [
      { op: "test", path: "/n", value: 0 },
      { op: "replace", path: "/n", value: 1 },
      { op: "add", path: "/list/0", value: "a" },
      { op: "replace", path: "/n", value: 2 },
      { op: "move", from: "/list/0", path: "/moved" },
      { op: "copy", from: "/moved", path: "/list/-" },
      { op: "remove", path: "/n" },
    ]);
  });

  it("reports a bad operation with its index in the patch", () => {
    const error = catchError(() =>
      invertPatch({ a: 1 }, [
        { op: "replace", path: "/a", value: 2 },
        { op: "remove", path: "/b" },
      ]),
    );
    expect(error).toMatchObject({ code: "INVALID_PATCH", path: "/b", details: { index: 1 } });
  });
});

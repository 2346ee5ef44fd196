import { describe, expect, it } from "vitest";
import type { JsonValue } from "./json.ts";
import { type MergeOptions, merge } from "./merge.ts";
import { compareJson } from "./strategy-lww.ts";
import { catchError } from "./testing/catch-error.ts";

const lww = (options: MergeOptions): MergeOptions => ({
  defaultStrategy: "last-writer-wins",
  ...options,
});

describe("last-writer-wins", () => {
  it("keeps the side written later", () => {
    const base = { title: "a" };
    const later = lww({ oursTimestamp: 1, theirsTimestamp: 2 });
    expect(merge(base, { title: "b" }, { title: "c" }, later).value).toEqual({ title: "c" });
    const earlier = lww({ oursTimestamp: 3, theirsTimestamp: 2 });
    expect(merge(base, { title: "b" }, { title: "c" }, earlier).value).toEqual({ title: "b" });
  });

  it("removes the value when the later writer deleted it", () => {
    const options = lww({ oursTimestamp: 2, theirsTimestamp: 1 });
    expect(merge({ t: 1 }, {}, { t: 2 }, options).value).toEqual({});
  });

  it("breaks a timestamp tie by the greater author, whichever side is ours", () => {
    const options = { oursTimestamp: 5, theirsTimestamp: 5 };
    const a = merge(
      { t: 0 },
      { t: 1 },
      { t: 2 },
      lww({ ...options, oursAuthor: "zoe", theirsAuthor: "amy" }),
    );
    const b = merge(
      { t: 0 },
      { t: 2 },
      { t: 1 },
      lww({ ...options, oursAuthor: "amy", theirsAuthor: "zoe" }),
    );
    expect(a.value).toEqual({ t: 1 });
    expect(b.value).toEqual({ t: 1 });
  });

  it("breaks a full tie by the greater value, whichever side is ours", () => {
    const options = lww({
      oursTimestamp: 5,
      theirsTimestamp: 5,
      oursAuthor: "x",
      theirsAuthor: "x",
    });
    expect(merge({ t: 0 }, { t: "b" }, { t: 9 }, options).value).toEqual({ t: "b" });
    expect(merge({ t: 0 }, { t: 9 }, { t: "b" }, options).value).toEqual({ t: "b" });
  });

  it("keeps the value over a deletion in a full tie", () => {
    const options = lww({ oursTimestamp: 5, theirsTimestamp: 5 });
    expect(merge({ t: 0 }, {}, { t: 1 }, options).value).toEqual({ t: 1 });
    expect(merge({ t: 0 }, { t: 1 }, {}, options).value).toEqual({ t: 1 });
  });

  it("refuses to run without both timestamps", () => {
    const error = catchError(() => merge({ t: 0 }, { t: 1 }, { t: 2 }, lww({ oursTimestamp: 1 })));
    expect([error.code, error.path]).toEqual(["VALIDATION_FAILED", "/t"]);
    expect(error.details).toEqual({
      issues: [{ path: "/theirsTimestamp", message: "theirsTimestamp must be a finite number" }],
    });
  });
});

describe("compareJson", () => {
  it("orders values by type, then by content", () => {
    const sorted: JsonValue[] = [
      null,
      false,
      true,
      -1,
      2,
      "",
      "a",
      "b",
      [],
      [1],
      [1, 0],
      [2],
      {},
      { a: 2 },
      { a: 3 },
      { a: 1, b: 0 },
      { b: 0 },
    ];
    expect(compareJson(undefined, null)).toBeLessThan(0);
    for (let i = 1; i < sorted.length; i++) {
      expect(compareJson(sorted[i - 1], sorted[i]), JSON.stringify(sorted[i])).toBeLessThan(0);
      expect(compareJson(sorted[i], sorted[i - 1])).toBeGreaterThan(0);
    }
  });

  it("ignores key order", () => {
    expect(compareJson({ a: 1, b: [2] }, { b: [2], a: 1 })).toBe(0);
  });
});

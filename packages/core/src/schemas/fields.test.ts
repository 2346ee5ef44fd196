import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { Checksum, Count, Id, JsonRecord, Timestamp, VersionNumber } from "./fields.ts";

describe("field schemas", () => {
  it("accepts ids of 1 to 256 characters", () => {
    expect(v.is(Id, "x")).toBe(true);
    expect(v.is(Id, "")).toBe(false);
    expect(v.is(Id, "x".repeat(257))).toBe(false);
  });

  it("accepts finite non-negative timestamps", () => {
    expect(v.is(Timestamp, 0)).toBe(true);
    expect(v.is(Timestamp, 1_764_000_000_000.5)).toBe(true);
    expect(v.is(Timestamp, -1)).toBe(false);
    expect(v.is(Timestamp, Number.POSITIVE_INFINITY)).toBe(false);
    expect(v.is(Timestamp, Number.NaN)).toBe(false);
  });

  it("accepts counts from 0 and version numbers from 1, whole numbers only", () => {
    expect([0, 1, 2.5].map((n) => v.is(Count, n))).toEqual([true, true, false]);
    expect([0, 1, 2.5].map((n) => v.is(VersionNumber, n))).toEqual([false, true, false]);
  });

  it("accepts a checksum only as 64 lowercase hex digits", () => {
    expect(v.is(Checksum, "0f".repeat(32))).toBe(true);
    expect(v.is(Checksum, "0F".repeat(32))).toBe(false);
    expect(v.is(Checksum, "0f".repeat(31))).toBe(false);
  });

  it("accepts a JSON object and nothing else as a JSON record", () => {
    expect(v.is(JsonRecord, { a: [1, { b: null }] })).toBe(true);
    expect(v.is(JsonRecord, [1])).toBe(false);
    expect(v.is(JsonRecord, null)).toBe(false);
    expect(v.is(JsonRecord, { a: undefined })).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { putInOrder } from "./canonical-order.ts";

describe("putInOrder", () => {
  it("returns a document already in canonical order as is, without copying", () => {
    const document = { a: [{ x: 1, y: 2 }], b: { c: null } };
    const ordered = putInOrder(document, 512);
    expect(ordered.value).toBe(document);
    expect(ordered.byHand.size).toBe(0);
  });

  it("copies only the objects out of order and the containers above them", () => {
    const sorted = { p: 1, q: 2 };
    const document = { a: sorted, b: [{ y: 1, x: 2 }], c: [sorted] };
    const ordered = putInOrder(document, 512);
    const value = ordered.value as typeof document;
    expect(value).not.toBe(document);
    expect(value.a).toBe(sorted);
    expect(value.c).toBe(document.c);
    expect(value.b).not.toBe(document.b);
    expect(Object.keys(value.b[0] ?? {})).toEqual(["x", "y"]);
  });

  it("leaves objects with array-index names, and everything above them, to be written by hand", () => {
    const inner = { b: 1, "10": 2, "9": 3 };
    const document = { list: [inner], other: { z: 0 } };
    const { byHand } = putInOrder(document, 512);
    expect(byHand.get(inner)).toEqual(["10", "9", "b"]);
    expect(byHand.has(document.list)).toBe(true);
    expect(byHand.has(document)).toBe(true);
    expect(byHand.has(document.other)).toBe(false);
  });
});

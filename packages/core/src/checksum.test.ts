import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checksum, sha256Hex, sha256HexOfBytes } from "./checksum.ts";
import type { JsonValue } from "./json.ts";
import { catchErrorAsync } from "./testing/catch-error.ts";

// A fixed state whose digest was computed once with `sha256sum` over its canonical text:
// the suite runs in Node and in workerd, so passing in both proves they agree byte for byte.
const state = {
  status: "running",
  name: "Checksum vector",
  id: "wf-1",
  priority: "normal",
  tasks: { t1: { status: "completed", id: "t1", attempts: 2, updatedAt: 1_700_000_000_000.5 } },
  agents: {},
  context: { tags: ["ünïcode", "🎉"] },
  metadata: {},
};
const stateChecksum = "122d98c220a370dfe0d35976e5d25cae3b0efe3d73e2504a30307bd556ca8d9f";

describe("sha256Hex", () => {
  it("matches the FIPS 180-2 vectors", async () => {
    expect(await sha256Hex("abc")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
    expect(await sha256Hex("")).toBe(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
  });

  it("hashes bytes to what it gives for their text", async () => {
    const text = "ünïcode 🎉";
    expect(await sha256HexOfBytes(new TextEncoder().encode(text))).toBe(await sha256Hex(text));
    expect(await sha256HexOfBytes(new TextEncoder().encode("abc"))).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });
});

describe("checksum", () => {
  it("hashes the UTF-8 of the canonical form to a known digest", async () => {
    expect(await checksum(state)).toBe(stateChecksum);
  });

  it("does not depend on member order", async () => {
    const reordered = {
      metadata: {},
      context: { tags: ["ünïcode", "🎉"] },
      agents: {},
      tasks: { t1: { updatedAt: 1_700_000_000_000.5, attempts: 2, id: "t1", status: "completed" } },
      priority: "normal",
      id: "wf-1",
      name: "Checksum vector",
      status: "running",
    };
    expect(await checksum(reordered)).toBe(stateChecksum);
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string(), fc.jsonValue()), async (object) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse());
        expect(await checksum(reversed as JsonValue)).toBe(await checksum(object as JsonValue));
      }),
      { numRuns: 50 },
    );
  });

  it("changes when any value changes", async () => {
    const edited = { ...state, tasks: { t1: { ...state.tasks.t1, attempts: 3 } } };
    expect(await checksum(edited)).not.toBe(stateChecksum);
  });

  it("rejects non-JSON with INVALID_JSON rather than throwing synchronously", async () => {
    const error = await catchErrorAsync(() => checksum({ a: Number.NaN }));
    expect(error.code).toBe("INVALID_JSON");
    expect(error.path).toBe("/a");
  });
});

import { describe, expect, it } from "vitest";
import { CountedAgents } from "../src/counted-agents.ts";
import { decodeCursor, encodeCursor } from "../src/cursor.ts";
import { allShards, fnv1a32, shardCount, shardFor } from "../src/shards.ts";
import { compareCodePoints } from "../src/sort-order.ts";

describe("shards", () => {
  it("hashes with 32-bit FNV-1a over UTF-8", () => {
    // Reference values from the FNV test suite (draft-eastlake-fnv).
    expect(fnv1a32("")).toBe(0x811c9dc5);
    expect(fnv1a32("a")).toBe(0xe40c292c);
    expect(fnv1a32("foobar")).toBe(0xbf9cf968);
    expect(fnv1a32("é")).not.toBe(fnv1a32("e"));
  });

  it("names a stable shard for an id, within the count", () => {
    expect(shardFor("wf-1", 16)).toBe(shardFor("wf-1", 16));
    expect(allShards(16)).toContain(shardFor("wf-1", 16));
    expect(allShards(3)).toEqual(["registry-0", "registry-1", "registry-2"]);
    expect(shardFor("anything", 1)).toBe("registry-0");
  });

  it("reads REGISTRY_SHARDS and refuses a malformed one as INTERNAL", () => {
    expect(shardCount("16")).toBe(16);
    for (const bad of [undefined, "", "0", "-1", "1.5", "257", "sixteen"]) {
      expect(() => shardCount(bad)).toThrow(expect.objectContaining({ code: "INTERNAL" }));
    }
  });
});

describe("cursors", () => {
  it("round-trip any position, including non-ASCII ids", () => {
    for (const position of [
      { createdAt: 0, id: "a" },
      { createdAt: 1_764_000_000_000.5, id: "wf-\u{1F600}-é/+?" },
    ]) {
      const cursor = encodeCursor(position);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(cursor)).toEqual([position.createdAt, position.id]);
    }
  });
});

describe("compareCodePoints", () => {
  it("orders by code point, a prefix first, like SQLite's BINARY collation of UTF-8", () => {
    const ids = ["b", "ab", "a", "\u{1F600}", "\u{FF61}", "a\u{1F600}", ""];
    expect(ids.sort(compareCodePoints)).toEqual([
      "",
      "a",
      "ab",
      "a\u{1F600}",
      "b",
      "\u{FF61}",
      "\u{1F600}",
    ]);
    expect(compareCodePoints("same", "same")).toBe(0);
  });
});

describe("CountedAgents", () => {
  it("remembers agents up to its limit, forgetting the oldest first", () => {
    const counted = new CountedAgents(2);
    counted.add("a");
    counted.add("b");
    counted.add("a");
    expect([counted.has("a"), counted.has("b")]).toEqual([true, true]);
    counted.add("c");
    expect([counted.has("a"), counted.has("b"), counted.has("c")]).toEqual([false, true, true]);
  });
});

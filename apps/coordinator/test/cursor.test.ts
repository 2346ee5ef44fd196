import { unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { shardFor } from "../src/shards.ts";
import { listAll, register, service } from "./helpers.ts";

describe("list cursors", () => {
  it("stay valid while workflows are added: newer ones wait for a new listing", async () => {
    for (let i = 0; i < 12; i++) await register({ tags: ["live"], createdAt: 5_000 + i });
    const first = unwrap(await service.listWorkflows({ tag: "live", limit: 5 }));
    const newer = await register({ tags: ["live"], createdAt: 9_000 });
    const older = await register({ tags: ["live"], createdAt: 1_000 });
    const rest = await listAll({ tag: "live", limit: 5, cursor: first.nextCursor ?? "" });
    const seen = [...first.workflows, ...rest.workflows].map((record) => record.id);
    expect(seen).toHaveLength(13);
    expect(new Set(seen).size).toBe(13);
    expect(seen).not.toContain(newer.id);
    expect(seen.at(-1)).toBe(older.id);
  });

  it("order ids as SQLite does, by code point, even beyond U+FFFF", async () => {
    // In UTF-16, U+1F600 (a surrogate pair, 0xD83D…) sorts before U+FF61; by code point and in
    // SQLite's UTF-8 BINARY order it sorts after. A merge that disagreed would skip a row here.
    const ids = ["u-z", "u-\u{FF61}", "u-\u{1F600}"];
    for (const id of ids) await register({ id, tags: ["unicode"], createdAt: 7_000 });
    expect(new Set(ids.map((id) => shardFor(id, 16))).size).toBeGreaterThan(1);
    const { workflows, pages } = await listAll({ tag: "unicode", limit: 1 });
    expect(workflows.map((record) => record.id)).toEqual(["u-\u{1F600}", "u-\u{FF61}", "u-z"]);
    expect(pages).toBe(3);
  });
});

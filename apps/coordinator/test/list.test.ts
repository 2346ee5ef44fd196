import { unwrap, type WorkflowRecord, type WorkflowStatus } from "@chorus/core";
import { beforeAll, describe, expect, it } from "vitest";
import { shardFor } from "../src/shards.ts";
import { listAll, sampleRecord, service } from "./helpers.ts";

// Storage is per test file: these 45 records are the whole registry here. Ids are fixed, so the
// shards they land on are too (all 16, checked below); createdAt repeats in threes so that ties
// span shards and the id decides.
const BASE = 1_764_000_000_000;
const STATUSES: WorkflowStatus[] = ["pending", "running", "paused", "completed", "failed"];
const records: WorkflowRecord[] = Array.from({ length: 45 }, (_, i) =>
  sampleRecord({
    id: `page-${String(i).padStart(2, "0")}`,
    status: STATUSES[i % STATUSES.length],
    tags: ["all", ...(i % 2 === 0 ? ["even"] : []), ...(i % 3 === 0 ? ["three"] : [])],
    createdAt: BASE + Math.floor(i / 3),
    updatedAt: BASE + Math.floor(i / 3),
  }),
);
// Written out rather than with the code under test: createdAt descending, then id descending.
const newestFirst = [...records].sort(
  (a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1),
);
const ids = (list: WorkflowRecord[]) => list.map((record) => record.id);

beforeAll(async () => {
  for (const record of records) unwrap(await service.registerWorkflow({ record }));
});

describe("listWorkflows", () => {
  it("is tested over records on every shard, with createdAt ties that span shards", () => {
    expect(new Set(records.map((record) => shardFor(record.id, 16))).size).toBe(16);
    expect(new Set(records.slice(0, 3).map((record) => shardFor(record.id, 16))).size).toBe(3);
  });

  it("answers the newest 20 first by default, breaking createdAt ties by id", async () => {
    const page = unwrap(await service.listWorkflows({}));
    expect(page.workflows).toEqual(newestFirst.slice(0, 20));
    expect(page.nextCursor).toEqual(expect.any(String));
  });

  it.each([1, 7, 15, 16, 44, 45, 100])(
    "pages through all 45 over 16 shards %i at a time with no duplicate or gap",
    async (limit) => {
      const { workflows, pages } = await listAll({ limit });
      expect(ids(workflows)).toEqual(ids(newestFirst));
      expect(pages).toBe(Math.ceil(45 / limit));
    },
  );

  it("ends with a null cursor exactly when nothing is left", async () => {
    const first = unwrap(await service.listWorkflows({ limit: 40 }));
    expect(first.nextCursor).not.toBeNull();
    const last = unwrap(
      await service.listWorkflows({ limit: 5, cursor: first.nextCursor ?? undefined }),
    );
    expect(ids(last.workflows)).toEqual(ids(newestFirst.slice(40)));
    expect(last.nextCursor).toBeNull();
  });

  it.each(STATUSES)("filters by status %s", async (status) => {
    const { workflows } = await listAll({ status, limit: 3 });
    expect(ids(workflows)).toEqual(ids(newestFirst.filter((record) => record.status === status)));
  });

  it("filters by tag, matching whole tags only", async () => {
    const even = await listAll({ tag: "even", limit: 4 });
    expect(ids(even.workflows)).toEqual(
      ids(newestFirst.filter((record) => record.tags.includes("even"))),
    );
    expect(unwrap(await service.listWorkflows({ tag: "eve" })).workflows).toEqual([]);
    expect(unwrap(await service.listWorkflows({ tag: "%" })).workflows).toEqual([]);
  });

  it("combines a status and a tag", async () => {
    const { workflows } = await listAll({ status: "pending", tag: "three", limit: 2 });
    const expected = newestFirst.filter(
      (record) => record.status === "pending" && record.tags.includes("three"),
    );
    expect(expected.length).toBeGreaterThan(1);
    expect(ids(workflows)).toEqual(ids(expected));
  });

  it("answers an empty last page when nothing matches", async () => {
    expect(unwrap(await service.listWorkflows({ tag: "none" }))).toEqual({
      workflows: [],
      nextCursor: null,
    });
  });

  it("sees a status change at once", async () => {
    const target = newestFirst[0] as WorkflowRecord;
    expect(target.status).not.toBe("cancelled");
    unwrap(
      await service.updateWorkflow({
        workflowId: target.id,
        update: { status: "cancelled" },
        actor: "t",
      }),
    );
    const cancelled = unwrap(await service.listWorkflows({ status: "cancelled" }));
    expect(ids(cancelled.workflows)).toEqual([target.id]);
  });
});

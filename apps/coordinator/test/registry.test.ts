import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { shardFor } from "../src/shards.ts";
import { expectError, idsByShard, listAll, register, sampleRecord, service } from "./helpers.ts";

describe("registerWorkflow and getWorkflow", () => {
  it("stores a record and reads it back", async () => {
    const record = sampleRecord();
    expect(unwrap(await service.registerWorkflow({ record }))).toEqual(record);
    expect(unwrap(await service.getWorkflow({ workflowId: record.id }))).toEqual(record);
  });

  it("stores a record without the optional members, and one sent with them undefined", async () => {
    const bare = await register({ description: undefined, userId: undefined });
    const read = unwrap(await service.getWorkflow({ workflowId: bare.id }));
    expect(read).not.toHaveProperty("description");
    expect(read).not.toHaveProperty("userId");
  });

  it("keeps each tag once, in the order first sent", async () => {
    const record = await register({ tags: ["b", "a", "b", "a"] });
    expect(record.tags).toEqual(["b", "a"]);
    expect(unwrap(await service.getWorkflow({ workflowId: record.id })).tags).toEqual(["b", "a"]);
  });

  it("refuses a second record with the same id as ALREADY_EXISTS and keeps the first", async () => {
    const first = await register({ name: "First" });
    const error = expectError(
      await service.registerWorkflow({ record: sampleRecord({ id: first.id, name: "Second" }) }),
      "ALREADY_EXISTS",
    );
    expect(error.path).toBe("/record/id");
    expect(unwrap(await service.getWorkflow({ workflowId: first.id })).name).toBe("First");
  });

  it("returns the stored record, writing nothing, when the same record is registered again", async () => {
    const record = sampleRecord({ tags: ["b", "a"] });
    const first = unwrap(await service.registerWorkflow({ record }));
    const again = unwrap(
      await service.registerWorkflow({ record: { ...record, tags: ["b", "a", "b"] } }),
    );
    expect(again).toEqual(first);
    expect((await listAll({ tag: "b" })).workflows.filter((w) => w.id === record.id)).toHaveLength(
      1,
    );
  });

  it("takes two identical registrations at once as one", async () => {
    const record = sampleRecord();
    const results = await Promise.all([
      service.registerWorkflow({ record }),
      service.registerWorkflow({ record }),
    ]);
    expect(results.map(unwrap)).toEqual([record, record]);
    const byShard = await idsByShard();
    expect([...byShard.values()].flat().filter((id) => id === record.id)).toHaveLength(1);
  });

  it("returns the record as updated since when its first registration is sent again", async () => {
    const record = await register({ createdAt: 1_000, updatedAt: 1_000 });
    const update = { status: "running" as const, name: "Renamed" };
    await service.updateWorkflow({ workflowId: record.id, update, actor: "bob" });
    const again = unwrap(await service.registerWorkflow({ record }));
    expect(again).toMatchObject({ id: record.id, status: "running", name: "Renamed" });
    expect(again.updatedAt).toBeGreaterThan(1_000);
  });

  it("refuses a record matching the stored one only after updates, since it was not the first", async () => {
    const record = await register({ name: "First" });
    await service.updateWorkflow({
      workflowId: record.id,
      update: { name: "Second" },
      actor: "bob",
    });
    const current = unwrap(await service.getWorkflow({ workflowId: record.id }));
    expectError(await service.registerWorkflow({ record: current }), "ALREADY_EXISTS");
  });

  it("compares a record stored before registrations were kept with its current form", async () => {
    const record = await register();
    const stub = env.REGISTRY.get(env.REGISTRY.idFromName(shardFor(record.id, 16)));
    await runInDurableObject(stub, (_, state) => {
      state.storage.sql.exec("DELETE FROM workflow_registrations WHERE workflow_id = ?", record.id);
    });
    expect(unwrap(await service.registerWorkflow({ record }))).toEqual(record);
    const renamed = { ...record, name: "Other" };
    expectError(await service.registerWorkflow({ record: renamed }), "ALREADY_EXISTS");
  });

  it("answers NOT_FOUND at /workflowId for an id never registered", async () => {
    const error = expectError(await service.getWorkflow({ workflowId: "nope" }), "NOT_FOUND");
    expect(error.path).toBe("/workflowId");
  });

  it("puts each record on the shard its id hashes to, spreading them over the shards", async () => {
    const records = await Promise.all(Array.from({ length: 48 }, () => register()));
    const byShard = await idsByShard();
    for (const record of records) {
      expect(byShard.get(shardFor(record.id, 16))).toContain(record.id);
    }
    const holding = [...byShard.values()].filter((ids) => ids.length > 0);
    expect(holding.length).toBeGreaterThan(8);
    expect(Math.max(...holding.map((ids) => ids.length))).toBeLessThan(48);
  });
});

describe("updateWorkflow", () => {
  it("changes metadata, bumps updatedAt and keeps the rest", async () => {
    const record = await register({ createdAt: 1_000, updatedAt: 1_000 });
    const updated = unwrap(
      await service.updateWorkflow({
        workflowId: record.id,
        update: { name: "Renamed", description: "New", priority: "critical", tags: ["x", "y"] },
        actor: "bob",
      }),
    );
    expect(updated).toEqual({
      ...record,
      name: "Renamed",
      description: "New",
      priority: "critical",
      tags: ["x", "y"],
      updatedAt: updated.updatedAt,
    });
    expect(updated.updatedAt).toBeGreaterThan(1_000);
    expect(unwrap(await service.getWorkflow({ workflowId: record.id }))).toEqual(updated);
  });

  it("moves the tag index with the tags", async () => {
    const record = await register({ tags: ["old-tag-index"] });
    unwrap(
      await service.updateWorkflow({
        workflowId: record.id,
        update: { tags: ["new-tag-index"] },
        actor: "bob",
      }),
    );
    const old = unwrap(await service.listWorkflows({ tag: "old-tag-index" }));
    const current = unwrap(await service.listWorkflows({ tag: "new-tag-index" }));
    expect(old.workflows).toEqual([]);
    expect(current.workflows.map((workflow) => workflow.id)).toEqual([record.id]);
  });

  it("writes nothing and keeps updatedAt when the update changes nothing", async () => {
    const record = await register({ status: "running", tags: ["a", "b"] });
    const same = unwrap(
      await service.updateWorkflow({
        workflowId: record.id,
        update: { status: "running", name: record.name, tags: ["a", "b", "a"] },
        actor: "bob",
      }),
    );
    expect(same).toEqual(record);
    expect(await changesOf(record.id)).toEqual([]);
  });

  it("never moves updatedAt backwards", async () => {
    const future = Date.now() + 86_400_000;
    const record = await register({ updatedAt: future });
    const updated = unwrap(
      await service.updateWorkflow({ workflowId: record.id, update: { name: "x" }, actor: "bob" }),
    );
    expect(updated.updatedAt).toBe(future);
  });

  it("records who changed what", async () => {
    const record = await register();
    unwrap(
      await service.updateWorkflow({
        workflowId: record.id,
        update: { status: "running", priority: "high" },
        actor: "agent-7",
      }),
    );
    expect(await changesOf(record.id)).toEqual([
      {
        actor: "agent-7",
        changes: { status: ["pending", "running"], priority: ["normal", "high"] },
      },
    ]);
  });

  it("answers NOT_FOUND at /workflowId for an unknown workflow", async () => {
    const error = expectError(
      await service.updateWorkflow({ workflowId: "nope", update: { name: "x" }, actor: "bob" }),
      "NOT_FOUND",
    );
    expect(error.path).toBe("/workflowId");
  });
});

describe("the worker", () => {
  it("answers ping for health checks", async () => {
    expect(await service.ping()).toEqual({ ok: true, service: "coordinator" });
  });

  it("has no public HTTP API: every request is a JSON 404", async () => {
    const response = await exports.default.fetch("https://coordinator/api/workflows");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: expect.stringContaining("CoordinatorService") });
  });
});

async function changesOf(workflowId: string) {
  const stub = env.REGISTRY.get(env.REGISTRY.idFromName(shardFor(workflowId, 16)));
  return runInDurableObject(stub, (_, state) =>
    state.storage.sql
      .exec<{ actor: string; changes: string }>(
        "SELECT actor, changes FROM workflow_changes WHERE workflow_id = ? ORDER BY seq",
        workflowId,
      )
      .toArray()
      .map((row) => ({ actor: row.actor, changes: JSON.parse(row.changes) })),
  );
}

import { abortAllDurableObjects, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { canonicalize, unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import type { StateManager } from "../src/state-manager.ts";
import { blobKey } from "../src/version-store.ts";
import { createWorkflow, expectError, service, stubOf } from "./helpers.ts";

async function commitSteps(workflowId: string, from: number, to: number) {
  for (let i = from; i <= to; i++) {
    unwrap(
      await service.commit({
        workflowId,
        patch: [{ op: "replace", path: "/metadata/counter", value: i }],
        author: "agent",
        baseVersion: i - 1,
      }),
    );
  }
}

/** A workflow with versions 1–6 whose policy keeps only the newest one in SQLite. */
async function sixVersionsKeepingOne(): Promise<string> {
  const workflowId = await createWorkflow();
  unwrap(
    await service.configure({
      workflowId,
      settings: { archivePolicy: { maxVersionsPerWorkflow: 1 } },
    }),
  );
  await commitSteps(workflowId, 2, 6);
  return workflowId;
}

async function archivedVersions(workflowId: string): Promise<number[]> {
  return runInDurableObject(stubOf(workflowId), (instance: StateManager) =>
    instance.versions.select("WHERE archived = 1 ORDER BY version").map((row) => row.version),
  );
}

describe("archive to R2", () => {
  it("moves old versions to gzip chunks in R2 on the alarm and reads them back transparently", async () => {
    const workflowId = await createWorkflow();
    unwrap(
      await service.configure({
        workflowId,
        settings: { keyframeInterval: 4, archivePolicy: { maxVersionsPerWorkflow: 5 } },
      }),
    );
    await commitSteps(workflowId, 2, 20);
    const snapshot = unwrap(
      await service.createSnapshot({ workflowId, version: 3, description: "keep", author: "ops" }),
    );
    unwrap(
      await service.createBranch({ workflowId, name: "old-idea", fromVersion: 6, author: "ops" }),
    );
    const before = unwrap(await service.getState({ workflowId, version: 2 })).state;

    expect(await runDurableObjectAlarm(stubOf(workflowId))).toBe(true);

    const archived = await archivedVersions(workflowId);
    expect(archived).toEqual([1, 2, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    const listing = await env.ARCHIVE.list({ prefix: `${workflowId}/archive/` });
    const keys = listing.objects.map((object) => object.key);
    expect(keys).toContain(`${workflowId}/archive/manifest.json`);
    expect(keys.some((key) => key.endsWith(".json.gz"))).toBe(true);
    const manifest = (await (
      await env.ARCHIVE.get(`${workflowId}/archive/manifest.json`)
    )?.json()) as {
      chunks: Array<{ versions: number[] }>;
    };
    expect(manifest.chunks.flatMap((chunk) => chunk.versions)).toEqual(archived);

    // A kept version whose parent left became a keyframe, stored as every keyframe is: gzipped.
    const rekeyed = await runInDurableObject(
      stubOf(workflowId),
      async (instance: StateManager) => ({
        keyframe: instance.versions.row(16)?.keyframe,
        stored: instance.blobs.read(blobKey.state(16)),
        text: await instance.versions.keyframeText(16),
      }),
    );
    expect(rekeyed.keyframe).toBe(true);
    expect(rekeyed.stored).toBeInstanceOf(Uint8Array);
    const state16 = unwrap(await service.getState({ workflowId, version: 16 })).state;
    expect(rekeyed.text).toBe(canonicalize(state16));

    expect(unwrap(await service.getState({ workflowId, version: 2 })).state).toEqual(before);
    expect(
      unwrap(await service.getState({ workflowId, version: 12, path: "/metadata/counter" })).state,
    ).toBe(12);
    expect(
      unwrap(await service.restore({ workflowId, snapshotId: snapshot.id, author: "ops" })).version
        .version,
    ).toBe(21);
    expect(unwrap(await service.verifyIntegrity({ workflowId }))).toMatchObject({
      ok: true,
      checked: 21,
    });
    expect(unwrap(await service.metrics({ workflowId })).versionsArchived).toBe(13);
  });

  it("never archives what a branch, a snapshot or an open conflict still needs", async () => {
    const workflowId = await sixVersionsKeepingOne();
    unwrap(await service.createBranch({ workflowId, name: "b", fromVersion: 2, author: "ops" }));
    unwrap(
      await service.createSnapshot({ workflowId, version: 3, description: "s", author: "ops" }),
    );
    const conflict = expectError(
      await service.commit({
        workflowId,
        patch: [{ op: "replace", path: "/metadata/counter", value: -1 }],
        author: "late",
        baseVersion: 4,
      }),
      "CONFLICT",
    );
    expect(conflict.path).toBe("/metadata/counter");
    await runDurableObjectAlarm(stubOf(workflowId));
    const archived = await archivedVersions(workflowId);
    for (const pinned of [2, 3, 4, 6]) expect(archived).not.toContain(pinned);
    expect(archived).toEqual([1, 5]);
    const { conflictId } = conflict.details as { conflictId: string };
    const resolved = unwrap(
      await service.resolveConflict({
        workflowId,
        conflictId,
        resolution: "theirs",
        author: "ops",
      }),
    );
    expect(
      unwrap(
        await service.getState({
          workflowId,
          version: resolved.version.version,
          path: "/metadata/counter",
        }),
      ).state,
    ).toBe(-1);
  });

  it("holds writes only to choose and to mark: a version pinned during the upload stays", async () => {
    const workflowId = await sixVersionsKeepingOne();
    const steps = await runInDurableObject(stubOf(workflowId), async (instance: StateManager) => {
      let held = 0;
      await instance.archiver.run(async (step) => {
        held++;
        // Between choosing and marking, R2 is written and writes go on: a branch from a
        // chosen version arrives meanwhile.
        if (held === 2) {
          instance.branches.insert({
            name: "late",
            head: 3,
            createdFrom: 3,
            createdAt: Date.now(),
            author: "ops",
          });
        }
        return step();
      });
      return held;
    });
    expect(steps).toBe(2);
    expect(await archivedVersions(workflowId)).toEqual([1, 2, 4, 5]);
    const read = unwrap(
      await service.getState({ workflowId, version: 3, path: "/metadata/counter" }),
    );
    expect(read.state).toBe(3);
    expect(unwrap(await service.verifyIntegrity({ workflowId })).ok).toBe(true);
  });

  it("detects a corrupted archive chunk on the way back", async () => {
    const workflowId = await createWorkflow();
    unwrap(
      await service.configure({
        workflowId,
        settings: { archivePolicy: { maxVersionsPerWorkflow: 2 } },
      }),
    );
    await commitSteps(workflowId, 2, 5);
    await runDurableObjectAlarm(stubOf(workflowId));
    const listing = await env.ARCHIVE.list({ prefix: `${workflowId}/archive/` });
    const chunk = listing.objects.find((object) => object.key.endsWith(".gz"));
    if (chunk === undefined) throw new Error("no chunk was written");
    await env.ARCHIVE.put(chunk.key, "tampered");
    // A fresh instance has no cached chunks and no cached states.
    await abortAllDurableObjects();
    expectError(await service.getState({ workflowId, version: 1 }), "INTEGRITY_FAILED");
    const report = unwrap(await service.verifyIntegrity({ workflowId }));
    expect(report.ok).toBe(false);
  });

  it("archives hundreds of versions in one run", async () => {
    const workflowId = await createWorkflow();
    unwrap(
      await service.configure({
        workflowId,
        settings: { archivePolicy: { maxVersionsPerWorkflow: 10 } },
      }),
    );
    // Unbased writes, 25 at a time: the object serializes them and the test stays quick without
    // queueing so many requests that the object reports itself overloaded. They go to the
    // object's stub: in this pool each call through `exports.StateService` costs more the more
    // such calls the file made, which took this loop from seconds to about two minutes.
    const stub = stubOf(workflowId);
    for (let batch = 0; batch < 649; batch += 25) {
      const writes = Array.from({ length: Math.min(25, 649 - batch) }, (_, i) =>
        stub.commit({
          workflowId,
          patch: [{ op: "add", path: `/data/w${batch + i}`, value: batch + i }],
          author: "agent",
        }),
      );
      const results = await Promise.all(writes);
      expect(results.filter((result) => !result.ok)).toEqual([]);
    }
    expect(await runDurableObjectAlarm(stubOf(workflowId))).toBe(true);
    expect(await archivedVersions(workflowId)).toHaveLength(640);
    const read = unwrap(await service.getState({ workflowId, version: 300, path: "/data" })).state;
    expect(Object.keys(read as object)).toHaveLength(299);
  }, 120_000);
});

import { abortAllDurableObjects } from "cloudflare:test";
import { checksum, unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { createWorkflow, sampleState, service } from "./helpers.ts";

describe("a fresh instance over the same storage", () => {
  it("reads every version, branch, snapshot, conflict, setting and counter back with checksums verified", async () => {
    const workflowId = await createWorkflow();
    unwrap(
      await service.configure({
        workflowId,
        settings: { keyframeInterval: 3, defaultStrategy: "theirs" },
      }),
    );
    const states: unknown[] = [sampleState()];
    for (let i = 2; i <= 10; i++) {
      const state = sampleState({ metadata: { counter: i } });
      states.push(state);
      unwrap(await service.commit({ workflowId, state, author: "a", baseVersion: i - 1 }));
    }
    unwrap(await service.createBranch({ workflowId, name: "side", fromVersion: 4, author: "a" }));
    const snapshot = unwrap(
      await service.createSnapshot({ workflowId, description: "s", author: "a" }),
    );
    const metricsBefore = unwrap(await service.metrics({ workflowId }));

    await abortAllDurableObjects();

    for (let version = 1; version <= 10; version++) {
      const read = unwrap(await service.getState({ workflowId, version }));
      expect(read.state).toEqual(states[version - 1]);
      expect(read.version.checksum).toBe(await checksum(states[version - 1] as never));
    }
    expect(unwrap(await service.listBranches({ workflowId })).map((b) => b.name)).toEqual([
      "main",
      "side",
    ]);
    expect(unwrap(await service.listSnapshots({ workflowId }))[0]?.id).toBe(snapshot.id);
    expect(unwrap(await service.getSettings({ workflowId }))).toMatchObject({
      keyframeInterval: 3,
      defaultStrategy: "theirs",
    });
    const metricsAfter = unwrap(await service.metrics({ workflowId }));
    expect(metricsAfter.versionsCreated).toBe(metricsBefore.versionsCreated);
    expect(metricsAfter.snapshotsCreated).toBe(1);
    expect(unwrap(await service.verifyIntegrity({ workflowId }))).toEqual({
      ok: true,
      checked: 10,
      problems: [],
    });
  });

  it("keeps every commit of a batch that queued together, and none of the batch's failures", async () => {
    const workflowId = await createWorkflow(sampleState({ tasks: {} }));
    // 40 writers at once: they queue while the first runs and commit as a group. Every
    // fourth one is bad (a patch that tests a value the state does not have) and fails alone.
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        service.commit({
          workflowId,
          patch: [
            ...(i % 4 === 3 ? [{ op: "test" as const, path: "/name", value: "not the name" }] : []),
            { op: "add", path: `/tasks/w${i}`, value: { id: `w${i}`, status: "pending" } },
          ],
          author: `agent-${i}`,
        }),
      ),
    );
    const failed = results.flatMap((result, i) => (result.ok ? [] : [i]));
    expect(failed).toEqual(Array.from({ length: 10 }, (_, k) => k * 4 + 3));
    const committed = results.flatMap((result) => (result.ok ? [result.value.version] : []));
    expect(committed.map((v) => v.version).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 30 }, (_, k) => k + 2),
    );

    await abortAllDurableObjects();

    const head = unwrap(await service.getState({ workflowId }));
    expect(head.version.version).toBe(31);
    expect(Object.keys((head.state as { tasks: object }).tasks).sort()).toEqual(
      Array.from({ length: 40 }, (_, i) => i)
        .filter((i) => i % 4 !== 3)
        .map((i) => `w${i}`)
        .sort(),
    );
    for (const version of committed) {
      const read = unwrap(await service.getState({ workflowId, version: version.version }));
      expect(read.version.checksum).toBe(version.checksum);
    }
    expect(unwrap(await service.verifyIntegrity({ workflowId }))).toEqual({
      ok: true,
      checked: 31,
      problems: [],
    });
  });

  it("stores states larger than one SQLite value by chunking them", async () => {
    const workflowId = await createWorkflow();
    unwrap(
      await service.configure({
        workflowId,
        settings: { limits: { maxStateBytes: 8 * 1024 * 1024 } },
      }),
    );
    // ~3 MB of incompressible-looking text: larger than a 2 MB SQLite value.
    const blob = Array.from(
      { length: 30_000 },
      (_, i) => `${i.toString(36)}-${"x".repeat(90)}`,
    ).join("|");
    const big = sampleState({ data: { blob } });
    unwrap(await service.commit({ workflowId, state: big, author: "a", baseVersion: 1 }));
    await abortAllDurableObjects();
    const read = unwrap(await service.getState({ workflowId, path: "/data/blob" }));
    expect(read.state).toBe(blob);
    expect(unwrap(await service.verifyIntegrity({ workflowId })).ok).toBe(true);
  });
});

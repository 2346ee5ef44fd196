import { abortAllDurableObjects, runInDurableObject } from "cloudflare:test";
import { STREAM_MORE, unwrap } from "@chorus/core";
import { describe, expect, it } from "vitest";
import type { StateManager } from "../src/state-manager.ts";
import { createWorkflow, service, stubOf } from "./helpers.ts";
import { commitMany, openStream, verifyChain } from "./streams.ts";

describe("replay", () => {
  it("replays from version 0 in batches, then goes live with no gap and no repeat", async () => {
    const workflowId = await createWorkflow();
    unwrap(await service.configure({ workflowId, settings: { keyframeInterval: 4 } }));
    await commitMany(workflowId, 249);
    const stream = await openStream(workflowId, { since: 0 });
    // Commits land while the replay runs.
    await commitMany(workflowId, 20);
    await stream.untilVersion(270);
    expect(stream.events.map((event) => event.version)).toEqual(
      Array.from({ length: 270 }, (_, i) => i + 1),
    );
    expect(stream.controls.filter((control) => control.type === "paused").length).toBe(2);
    await verifyChain(stream.events, new Map());
    stream.close();
  });

  it("replays a history whose older versions are archived in R2, from storage alone", async () => {
    const workflowId = await createWorkflow();
    unwrap(
      await service.configure({
        workflowId,
        settings: { keyframeInterval: 4, archivePolicy: { maxVersionsPerWorkflow: 20 } },
      }),
    );
    await commitMany(workflowId, 599);
    // The alarm's work, run now (commitMany dropped the alarm itself).
    await runInDurableObject(stubOf(workflowId), (instance: StateManager) => instance.alarm());
    const archived = await runInDurableObject(
      stubOf(workflowId),
      (instance: StateManager) => instance.versions.select("WHERE archived = 1").length,
    );
    expect(archived).toBeGreaterThanOrEqual(570);
    // A fresh object: no state or chunk in memory, every archived version read back from R2.
    await abortAllDurableObjects();
    const stream = await openStream(workflowId, { since: 0 });
    await stream.untilVersion(600);
    expect(stream.events.map((event) => event.version)).toEqual(
      Array.from({ length: 600 }, (_, i) => i + 1),
    );
    await verifyChain(stream.events, new Map());
    stream.close();
  });

  it("waits for the relay between replay batches", async () => {
    const workflowId = await createWorkflow();
    await commitMany(workflowId, 149);
    const stream = await openStream(workflowId, { since: 0 }, { manual: true });
    await stream.until(() => stream.controls.some((c) => c.type === "paused"), "a pause");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stream.events).toHaveLength(100);
    expect(stream.controls).toEqual([
      { type: "open", cursor: 0 },
      { type: "paused", cursor: 100 },
    ]);
    stream.socket.send(STREAM_MORE);
    await stream.untilVersion(150);
    expect(stream.events.map((event) => event.version)).toEqual(
      Array.from({ length: 150 }, (_, i) => i + 1),
    );
    stream.close();
  });

  it("replays what a live subscriber missed when a push was lost", async () => {
    const workflowId = await createWorkflow();
    const stream = await openStream(workflowId);
    await commitMany(workflowId, 3);
    await stream.untilVersion(4);
    // As if the object had restarted after writing version 5 and before pushing it: the push
    // passes the subscriber over (paused), and it is live again at version 4 afterwards.
    await runInDurableObject(stubOf(workflowId), async (instance: StateManager, state) => {
      const [socket] = state.getWebSockets();
      socket?.serializeAttachment({ cursor: 4, mode: "paused" });
      unwrap(await instance.commit({ workflowId, patch: [], author: "agent" }));
      await scheduler.wait(100);
      socket?.serializeAttachment({ cursor: 4, mode: "live" });
    });
    expect(stream.events.map((event) => event.version)).toEqual([2, 3, 4]);
    await commitMany(workflowId, 1);
    await stream.untilVersion(6);
    expect(stream.events.map((event) => event.version)).toEqual([2, 3, 4, 5, 6]);
    stream.close();
  });
});

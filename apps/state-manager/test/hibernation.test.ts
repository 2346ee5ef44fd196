import { runInDurableObject } from "cloudflare:test";
import { STREAM_MORE, STREAM_PING } from "@chorus/core";
import { describe, expect, it } from "vitest";
import type { StateManager } from "../src/state-manager.ts";
import { createWorkflow, stubOf } from "./helpers.ts";
import { commitMany, commitTo, openStream, verifyChain } from "./streams.ts";

/** How long workerd leaves an idle object in memory before evicting it (about 10 s), and some. */
const EVICTION_WAIT_MS = 15_000;

const MARK = Symbol.for("chorus.test.instance");

describe("subscribers across the object's hibernation", () => {
  it("keep their streams, live and paused, through an eviction", async () => {
    const workflowId = await createWorkflow();
    await commitMany(workflowId, 119);
    const live = await openStream(workflowId);
    const paused = await openStream(workflowId, { since: 0 }, { manual: true });
    await paused.until(() => paused.controls.some((c) => c.type === "paused"), "a pause");

    // Everything the object knows of its subscribers is in their sockets' attachments.
    const attachments = await runInDurableObject(
      stubOf(workflowId),
      (instance: StateManager, state) => {
        (instance as unknown as Record<symbol, boolean>)[MARK] = true;
        return state.getWebSockets().map((socket) => socket.deserializeAttachment());
      },
    );
    expect(attachments).toEqual(
      expect.arrayContaining([
        { cursor: 120, mode: "live" },
        { cursor: 100, mode: "paused" },
      ]),
    );

    await new Promise((resolve) => setTimeout(resolve, EVICTION_WAIT_MS));
    // Answered by the runtime's auto-response, asleep or not.
    live.socket.send(STREAM_PING);
    await live.until(() => live.pongs.length > 0, "a pong");
    const sameInstance = await runInDurableObject(
      stubOf(workflowId),
      (instance: StateManager) => (instance as unknown as Record<symbol, boolean>)[MARK] === true,
    );
    expect(sameInstance, "the object was evicted while its subscribers stayed connected").toBe(
      false,
    );

    expect(await commitTo(workflowId, "/tasks/t1/status", "claimed")).toBe(121);
    await live.untilVersion(121);
    expect(live.events.map((event) => event.version)).toEqual([121]);
    paused.socket.send(STREAM_MORE);
    await paused.untilVersion(121);
    expect(paused.events.map((event) => event.version)).toEqual(
      Array.from({ length: 121 }, (_, i) => i + 1),
    );
    await verifyChain(paused.events, new Map());
    expect(live.closed).toBeUndefined();
    live.close();
    paused.close();
  }, 60_000);
});

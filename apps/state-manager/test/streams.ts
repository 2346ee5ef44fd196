import { runInDurableObject } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import {
  applyPatch,
  checksum,
  type JsonValue,
  readFrame,
  STREAM_MORE,
  type StateEvent,
  type StreamControl,
  unwrap,
} from "@chorus/core";
import { expect } from "vitest";
import { service, stubOf } from "./helpers.ts";

/** What a test subscribes with, besides the workflow. */
export interface Subscription {
  since?: number;
  branch?: string;
  paths?: string[];
  types?: string[];
}

/**
 * A change stream opened the way the gateway opens one, acting as its relay: frames are decoded
 * and kept, and a paused replay is asked for more at once unless `manual`.
 */
export class TestStream {
  readonly socket: WebSocket;
  readonly events: StateEvent[] = [];
  readonly controls: StreamControl[] = [];
  readonly pongs: number[] = [];
  closed: { code: number; reason: string } | undefined;
  #waiters: Array<() => void> = [];

  constructor(socket: WebSocket, options: { manual?: boolean } = {}) {
    this.socket = socket;
    socket.accept();
    socket.addEventListener("message", (message) => {
      const frame = readFrame(String(message.data));
      if (frame.kind === "event") this.events.push(JSON.parse(frame.json) as StateEvent);
      else if (frame.kind === "pong") this.pongs.push(Date.now());
      else {
        this.controls.push(frame.control);
        if (frame.control.type === "paused" && options.manual !== true) socket.send(STREAM_MORE);
      }
      this.#wake();
    });
    socket.addEventListener("close", (event) => {
      this.closed = { code: event.code, reason: event.reason };
      this.#wake();
    });
  }

  /** Waits until `done` holds, failing after `timeoutMs`. */
  async until(done: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}; have ${this.events.length} events`);
      }
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  /** Waits for events up to `version` (the newest one it should see). */
  untilVersion(version: number): Promise<void> {
    return this.until(() => (this.events.at(-1)?.version ?? 0) >= version, `version ${version}`);
  }

  close(): void {
    this.socket.close(1000, "done");
  }

  #wake(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }
}

/**
 * Opens a change stream through `StateService.fetch`, as the gateway does.
 * @returns the stream, or the failed result when the upgrade was refused
 */
export async function openStream(
  workflowId: string,
  subscription: Subscription = {},
  options: { manual?: boolean } = {},
): Promise<TestStream> {
  const response = await exports.StateService.fetch(
    new Request("https://state-manager/subscribe", {
      headers: {
        upgrade: "websocket",
        "x-chorus-subscription": JSON.stringify({ workflowId, ...subscription }),
      },
    }),
  );
  const socket = response.webSocket;
  if (response.status !== 101 || socket === null) {
    throw new Error(`upgrade refused: ${response.status} ${await response.text()}`);
  }
  return new TestStream(socket, options);
}

/**
 * Checks a run of unfiltered events as a replica would: each patch applied to the state of the
 * event's first parent gives a state whose checksum is the event's.
 * @param events the events, in order
 * @param states known states by version (the starting point at least); filled in as it goes
 */
export async function verifyChain(
  events: readonly StateEvent[],
  states: Map<number, JsonValue>,
): Promise<void> {
  for (const event of events) {
    const parent = event.parents[0];
    const before = parent === undefined ? {} : states.get(parent);
    expect(before, `state of ${parent} before version ${event.version}`).toBeDefined();
    const after = applyPatch(before as JsonValue, event.patch);
    expect(await checksum(after), `checksum of version ${event.version}`).toBe(event.checksum);
    states.set(event.version, after);
  }
}

/**
 * Commits `count` unbased writes to one path, 25 at a time: the object runs them as group
 * commits. They go to the object's stub rather than through `StateService`, because in this
 * test pool each call through `exports.StateService` costs more the more such calls the file
 * has made (25 commits take 0.2 s at first and seconds after a few hundred), and histories here
 * need hundreds. The workflow's maintenance alarm is dropped first: a minute later it would
 * archive the history while other tests run.
 */
export async function commitMany(workflowId: string, count: number, path = "/metadata/counter") {
  const stub = stubOf(workflowId);
  await runInDurableObject(stub, (_, state) => state.storage.deleteAlarm());
  for (let done = 0; done < count; done += 25) {
    const writes = Array.from({ length: Math.min(25, count - done) }, (_, i) =>
      stub.commit({
        workflowId,
        patch: [{ op: "replace", path, value: done + i }],
        author: "agent",
      }),
    );
    for (const result of await Promise.all(writes)) unwrap(result);
  }
}

/** Commits one `replace` on a branch. @returns the new version number */
export async function commitTo(workflowId: string, path: string, value: unknown, branch = "main") {
  const result = await service.commit({
    workflowId,
    patch: [{ op: "replace", path, value }],
    author: "agent",
    branch,
  });
  return unwrap(result).version.version;
}

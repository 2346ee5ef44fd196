import { env } from "cloudflare:workers";
import { applyPatch, checksum, type JsonValue, type StateEvent, unwrap } from "@chorus/core";
import { expect } from "vitest";
import { ADMIN, api } from "./helpers.ts";

/** One SSE message as the test reads it. */
export interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

/** Something a test waits on, woken whenever new input arrives. */
class Waitable {
  #waiters: Array<() => void> = [];

  /** Waits until `done` holds, failing after `timeoutMs`. */
  async until(done: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  protected wake(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }
}

/** Reads a `text/event-stream` body as it arrives (once `read()` is called). */
export class SseReader extends Waitable {
  readonly messages: SseMessage[] = [];
  /** the `version` events, parsed as they arrive */
  readonly events: StateEvent[] = [];
  readonly comments: string[] = [];
  ended = false;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;

  constructor(readonly response: Response) {
    super();
    if (response.body === null) throw new Error("no body");
    this.#reader = response.body.getReader();
  }

  /** Starts reading in the background. */
  read(): this {
    void this.#pump();
    return this;
  }

  untilVersion(version: number): Promise<void> {
    return this.until(
      () => (this.events.at(-1)?.version ?? 0) >= version,
      `version ${version} (have ${this.events.at(-1)?.version})`,
    );
  }

  untilEnded(): Promise<void> {
    return this.until(() => this.ended, "the end of the stream");
  }

  async cancel(): Promise<void> {
    await this.#reader.cancel();
  }

  async #pump(): Promise<void> {
    const decoder = new TextDecoder();
    // The message being received, in pieces: a large event arrives in many chunks, and searching
    // one growing string for its end at each chunk would be quadratic.
    let pieces: string[] = [];
    for (;;) {
      const read = await this.#reader
        .read()
        .catch(() => ({ done: true as const, value: undefined }));
      if (read.done) break;
      let text = decoder.decode(read.value, { stream: true });
      // A blank line split across two chunks.
      if ((pieces.at(-1) ?? "").endsWith("\n") && text.startsWith("\n")) {
        this.#parse(pieces.join("").slice(0, -1));
        pieces = [];
        text = text.slice(1);
      }
      for (let end = text.indexOf("\n\n"); end >= 0; end = text.indexOf("\n\n")) {
        this.#parse(pieces.join("") + text.slice(0, end));
        pieces = [];
        text = text.slice(end + 2);
      }
      if (text !== "") pieces.push(text);
      this.wake();
    }
    this.ended = true;
    this.wake();
  }

  #parse(block: string): void {
    const message: SseMessage = { event: "message", data: "" };
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) {
        this.comments.push(line.slice(1).trim());
        continue;
      }
      const colon = line.indexOf(":");
      const field = line.slice(0, colon);
      const value = line.slice(colon + 1).replace(/^ /, "");
      if (field === "id") message.id = value;
      else if (field === "event") message.event = value;
      else if (field === "data") message.data = value;
    }
    if (!block.split("\n").some((line) => !line.startsWith(":"))) return;
    this.messages.push(message);
    if (message.event === "version") this.events.push(JSON.parse(message.data) as StateEvent);
  }
}

/** A WebSocket subscriber as the test drives it. */
export class WsClient extends Waitable {
  readonly messages: string[] = [];
  /** the events, parsed as they arrive */
  readonly events: StateEvent[] = [];
  closed: { code: number; reason: string } | undefined;

  constructor(readonly socket: WebSocket) {
    super();
    socket.accept();
    socket.addEventListener("message", (message) => {
      const text = String(message.data);
      this.messages.push(text);
      if (text.startsWith("{")) this.events.push(JSON.parse(text) as StateEvent);
      this.wake();
    });
    socket.addEventListener("close", (event) => {
      this.closed = { code: event.code, reason: event.reason };
      this.wake();
    });
  }

  untilVersion(version: number): Promise<void> {
    return this.until(
      () => (this.events.at(-1)?.version ?? 0) >= version,
      `version ${version} (have ${this.events.at(-1)?.version})`,
    );
  }

  untilClosed(): Promise<void> {
    return this.until(() => this.closed !== undefined, "the close");
  }

  ack(version: number): void {
    this.socket.send(JSON.stringify({ ack: version }));
  }

  close(): void {
    this.socket.close(1000, "done");
  }
}

/** `GET …/events` with a query and headers, as admin unless a token is given. */
export function events(
  id: string,
  query = "",
  headers: Record<string, string> = {},
  token: string | undefined = ADMIN,
): Promise<Response> {
  return api(`/api/workflows/${id}/events${query}`, {
    headers,
    ...(token === undefined ? {} : { token }),
  });
}

/** Opens an SSE stream and starts reading it; fails unless it is a 200 event stream. */
export async function openSse(id: string, query = "", headers: Record<string, string> = {}) {
  const response = await events(id, query, headers);
  expect(response.status, response.status === 200 ? "" : await response.text()).toBe(200);
  return new SseReader(response).read();
}

/** `GET …/subscribe` with the WebSocket upgrade. */
export function subscribeRequest(
  id: string,
  query = "",
  token: string | undefined = ADMIN,
): Promise<Response> {
  return api(`/api/workflows/${id}/subscribe${query}`, {
    headers: { upgrade: "websocket" },
    ...(token === undefined ? {} : { token }),
  });
}

/** Opens a WebSocket stream; fails unless the upgrade succeeds. */
export async function openWs(id: string, query = "", token: string | undefined = ADMIN) {
  const response = await subscribeRequest(id, query, token);
  if (response.status !== 101 || response.webSocket === null) {
    throw new Error(`upgrade refused: ${response.status} ${await response.text()}`);
  }
  return new WsClient(response.webSocket);
}

/**
 * Commits `count` small changes to `/metadata/counter` (1, 2, …) straight to the state manager (through
 * the STATE binding, as the gateway does), `parallel` at a time.
 */
export async function commitMany(workflowId: string, count: number, parallel = 25) {
  for (let done = 0; done < count; done += parallel) {
    const writes = Array.from({ length: Math.min(parallel, count - done) }, (_, i) =>
      env.STATE.commit({
        workflowId,
        patch: [{ op: "replace", path: "/metadata/counter", value: done + i + 1 }],
        author: "agent",
      }),
    );
    for (const result of await Promise.all(writes)) unwrap(result);
  }
}

/**
 * Checks events as a replica would: each patch applied to the state of the event's first parent
 * gives the state whose checksum the event carries.
 * @param events in order
 * @param states known states by version; filled in as it goes
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

/** @returns `[from, …, to]` */
export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

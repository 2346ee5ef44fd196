import type { StateChangeType, StateEvent } from "@chorus/core";
import { ChorusApiError, toApiError } from "./errors.ts";
import type { Http } from "./http.ts";
import { type SseMessage, SseParser } from "./sse-parser.ts";

/** What `subscribe` follows and for how long. */
export interface SubscribeOptions {
  /**
   * replay every version after this one, then go live; default: live from the newest version
   * (read once before connecting, so no version committed while connecting is missed)
   */
  since?: number;
  /** only this branch's versions; default every branch */
  branch?: string;
  /** only the changes at these JSON Pointer globs (`/tasks/*\/status`); other versions are skipped */
  paths?: readonly string[];
  /** only changes of these types */
  types?: readonly StateChangeType[];
  /** ends the iteration (cleanly, without an error) when aborted */
  signal?: AbortSignal;
  /**
   * how long a connection may stay silent before it is taken for dead and reopened; the server
   * sends `: ping` every 15 s when idle. Default 45 000 ms
   */
  idleTimeoutMs?: number;
  /** the longest wait between reconnection attempts. Default 15 000 ms */
  maxBackoffMs?: number;
}

const DEFAULT_IDLE_MS = 45_000;
const DEFAULT_MAX_BACKOFF_MS = 15_000;
const FIRST_BACKOFF_MS = 100;

/** The body of the stream's last event when the server ended it (`event: end`). */
interface StreamEnd {
  code?: string;
  detail?: string;
}

/**
 * Follows a workflow's change stream over Server-Sent Events (`GET …/events`, read with `fetch`
 * so the bearer token goes in a header). A lost connection is reopened with jittered, capped
 * exponential backoff and resumed after the last version received (`Last-Event-ID`), and a
 * server's `event: resume` (a consumer that fell behind) reconnects at once from the version it
 * names, so each version arrives once and in order per branch.
 * @param http the client's transport
 * @param workflowId the workflow
 * @param options where to start, filters, and the signal that ends it
 * @returns the events, until `signal` aborts or the caller stops iterating
 * @throws ChorusApiError when the server refuses the stream (401, 403, 404, 422), at the start
 *   or on a reconnect, or ends it because the token was revoked
 */
export async function* subscribe(
  http: Http,
  workflowId: string,
  options: SubscribeOptions = {},
): AsyncGenerator<StateEvent, void, undefined> {
  const { signal } = options;
  // A function, not a narrowed property: the signal changes while this awaits.
  const aborted = () => signal?.aborted === true;
  const path = `/api/workflows/${encodeURIComponent(workflowId)}`;
  let last = options.since ?? (await newestVersion(http, path, options.branch, signal));
  if (last === undefined) return;
  let failures = 0;
  while (!aborted()) {
    const connection = new AbortController();
    const stop = () => connection.abort();
    signal?.addEventListener("abort", stop, { once: true });
    const idle = new IdleTimer(options.idleTimeoutMs ?? DEFAULT_IDLE_MS, stop);
    let resumeAt: number | undefined;
    try {
      const response = await http.open({
        method: "GET",
        path: `${path}/events`,
        query: {
          branch: options.branch,
          paths: options.paths?.join(","),
          types: options.types?.join(","),
        },
        // Last-Event-ID takes precedence over since on the server; one header covers every case.
        headers: { accept: "text/event-stream", "last-event-id": String(last) },
        signal: connection.signal,
      });
      idle.touch();
      for await (const message of messages(response, idle)) {
        if (message.event === "version") {
          const event = JSON.parse(message.data) as StateEvent;
          // A stream never repeats a version; this only guards a replica against a server that did.
          if (event.version <= last) continue;
          last = event.version;
          failures = 0;
          yield event;
        } else if (message.event === "resume") {
          resumeAt = (JSON.parse(message.data) as { since: number }).since;
        } else if (message.event === "end") {
          const end = JSON.parse(message.data) as StreamEnd;
          if (end.code === "UNAUTHENTICATED") {
            throw toApiError(401, {
              type: "urn:chorus:problem:unauthenticated",
              title: "Unauthenticated",
              status: 401,
              code: end.code,
              ...(end.detail === undefined ? {} : { detail: end.detail }),
            });
          }
        }
      }
    } catch (error) {
      if (aborted()) return;
      // A refusal is the server's answer, not a lost connection: retrying cannot change it.
      if (error instanceof ChorusApiError && error.status < 500 && error.status !== 429) {
        throw error;
      }
    } finally {
      idle.clear();
      signal?.removeEventListener("abort", stop);
      connection.abort();
    }
    if (resumeAt !== undefined) {
      // The server says where it stopped; it is never behind what this loop has yielded.
      last = Math.max(last, resumeAt);
      continue;
    }
    failures++;
    await sleep(backoff(failures, options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS), signal);
  }
}

/** The newest version of the branch (or of any branch), where a live-only stream starts. */
async function newestVersion(
  http: Http,
  path: string,
  branch: string | undefined,
  signal: AbortSignal | undefined,
): Promise<number | undefined> {
  try {
    const page = await http.send<{ versions: Array<{ version: number }> }>({
      method: "GET",
      path: `${path}/history`,
      query: { limit: 1, branch },
      ...(signal === undefined ? {} : { signal }),
    });
    return page.body.versions[0]?.version ?? 0;
  } catch (error) {
    if (signal?.aborted === true) return undefined;
    throw error;
  }
}

/** The events of one response body, as they arrive. */
async function* messages(response: Response, idle: IdleTimer): AsyncGenerator<SseMessage> {
  if (response.body === null) return;
  const parser = new SseParser();
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      idle.touch();
      yield* parser.feed(decoder.decode(value, { stream: true }));
    }
  } finally {
    reader.releaseLock();
  }
}

/** Calls `onIdle` when `touch` has not been called for `ms`. */
class IdleTimer {
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #ms: number;
  readonly #onIdle: () => void;

  constructor(ms: number, onIdle: () => void) {
    this.#ms = ms;
    this.#onIdle = onIdle;
  }

  touch(): void {
    this.clear();
    this.#timer = setTimeout(this.#onIdle, this.#ms);
  }

  clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

// Exponential with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"), capped.
function backoff(failures: number, cap: number): number {
  const ceiling = Math.min(cap, FIRST_BACKOFF_MS * 2 ** Math.min(failures - 1, 20));
  return ceiling / 2 + (Math.random() * ceiling) / 2;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

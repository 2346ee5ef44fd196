import {
  readFrame,
  STREAM_MORE,
  STREAM_PING,
  STREAM_SUBSCRIPTION_HEADER,
  type StreamFrame,
  type StreamSubscription,
} from "@chorus/core";
import type { Env } from "./env.ts";
import { call, type PathMap } from "./rpc.ts";

/** What a relay does with what the state manager sends on a stream. */
export interface UpstreamHandlers {
  /** where the stream starts: the version before the first it may send */
  open(cursor: number): void;
  /** one event, as JSON text on one line */
  event(version: number, json: string): void;
  /** a replay batch went out; call {@link Upstream.more} for the next */
  paused(): void;
  /** the answer to {@link Upstream.ping} */
  pong(): void;
  /** the state manager's end closed (a restart, a failure) */
  closed(code: number, reason: string): void;
}

/**
 * The gateway's end of one change stream: a WebSocket to the workflow's StateManager, opened
 * through the `STATE` service binding (which carries the upgrade), whose object holds its end
 * with the Hibernatable WebSocket API and so costs nothing while the stream is idle.
 */
export class Upstream {
  /**
   * Settles once the socket has closed both ways: a relay keeps its invocation alive until then
   * (`ctx.waitUntil`), or the runtime would cut the line mid-handshake.
   */
  readonly finished: Promise<void>;
  readonly #socket: WebSocket;
  #closed = false;

  constructor(socket: WebSocket, handlers: UpstreamHandlers) {
    this.#socket = socket;
    this.finished = new Promise<void>((resolve) => {
      socket.addEventListener("close", () => resolve());
      socket.addEventListener("error", () => resolve());
    });
    socket.accept();
    socket.addEventListener("message", (message) => {
      let frame: StreamFrame;
      try {
        frame = readFrame(typeof message.data === "string" ? message.data : "");
      } catch (error) {
        console.error("a change stream sent a malformed frame", error);
        this.close(1011, "malformed frame");
        handlers.closed(1011, "the state manager sent a malformed frame");
        return;
      }
      if (frame.kind === "event") handlers.event(frame.version, frame.json);
      else if (frame.kind === "pong") handlers.pong();
      else if (frame.control.type === "open") handlers.open(frame.control.cursor);
      else handlers.paused();
    });
    socket.addEventListener("close", (event) => {
      if (this.#closed) return;
      this.#closed = true;
      handlers.closed(event.code, event.reason);
    });
    socket.addEventListener("error", () => {
      if (this.#closed) return;
      this.#closed = true;
      handlers.closed(1006, "the state manager's socket failed");
    });
  }

  /** Asks for the next replay batch. */
  more(): void {
    this.#send(STREAM_MORE);
  }

  /** Checks the line to the state manager (answered by its auto-response). */
  ping(): void {
    this.#send(STREAM_PING);
  }

  /** Ends the stream from this side. */
  close(code = 1000, reason = ""): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#socket.close(code, reason);
    } catch {
      // Closed meanwhile.
    }
  }

  #send(message: string): void {
    if (this.#closed) return;
    try {
      this.#socket.send(message);
    } catch {
      // Closed meanwhile; the close handler reports it.
    }
  }
}

/**
 * Asks the workflow's StateManager for a change stream. Everything the state manager refuses
 * (unknown workflow or branch, `since` past the head) comes back as a problem before anything
 * is streamed.
 * @param env the bindings
 * @param subscription where the stream starts, its branch and filter
 * @param paths where the subscription's fields came from in the request, for error paths
 * @returns the state manager's socket, not yet accepted
 * @throws ChorusError as the state manager answered
 */
export async function openStateStream(
  env: Env,
  subscription: StreamSubscription,
  paths: PathMap,
): Promise<WebSocket> {
  const response = await env.STATE.fetch(
    new Request("https://state-manager/subscribe", {
      headers: {
        upgrade: "websocket",
        [STREAM_SUBSCRIPTION_HEADER]: JSON.stringify(subscription),
      },
    }),
  );
  if (response.status === 101 && response.webSocket !== null) return response.webSocket;
  return call(response.json(), paths);
}

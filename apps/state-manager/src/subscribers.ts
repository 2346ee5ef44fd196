import {
  ChorusError,
  compileEventSelector,
  controlFrame,
  type EventSelector,
  eventFrame,
  STREAM_MORE,
  type StateEvent,
  type StreamSubscription,
} from "@chorus/core";
import { versionEvent } from "./state-events.ts";
import type { Subscriber } from "./subscription.ts";
import type { VersionRow } from "./version-store.ts";
import type { WorkflowContext } from "./workflow-context.ts";

/** How many events a replay sends before it waits for the relay to ask for more… */
const REPLAY_BATCH = 100;

/** …or how many characters of events, whichever comes first (one large event still goes). */
const REPLAY_BATCH_CHARS = 1024 * 1024;

/** WebSocket close code for a failure of the state manager (RFC 6455 §7.4.1). */
const INTERNAL_ERROR = 1011;

/**
 * The workflow's live subscribers: Hibernatable WebSockets accepted by the object, each with its
 * {@link Subscriber} record in its attachment, so an idle subscriber costs no wall time and
 * survives the object's eviction. Every committed version is pushed to the live ones once it is
 * written (the output gate holds the message until the write is durable); a subscriber that
 * starts in the past is replayed from storage in batches, archived versions included, and then
 * switched to live in the same synchronous step that finds nothing left to replay, so it misses
 * nothing and gets nothing twice.
 */
export class Subscribers {
  readonly #state: DurableObjectState;
  readonly #ctx: WorkflowContext;
  /** sockets whose replay loop runs in this instance (lost with it; pushes restart them) */
  readonly #replaying = new Set<WebSocket>();
  readonly #selectors = new Map<string, EventSelector>();
  #pushes: Promise<void> = Promise.resolve();

  /**
   * @param state the object's state, which holds the sockets
   * @param ctx the workflow
   */
  constructor(state: DurableObjectState, ctx: WorkflowContext) {
    this.#state = state;
    this.#ctx = ctx;
  }

  /**
   * Accepts a subscriber.
   * @param input where it starts, its branch and filter
   * @returns the `101 Switching Protocols` answer with the relay's end of the socket
   * @throws ChorusError `NOT_FOUND` for an unknown branch or a `since` past the newest version;
   *   `INVALID_POINTER` for a bad glob
   */
  open(input: StreamSubscription): Response {
    const latest = this.#ctx.versions.latest();
    if (input.branch !== undefined) this.#ctx.branches.requireHead(input.branch, "/branch");
    if (input.since !== undefined && input.since > latest) {
      throw new ChorusError(
        "NOT_FOUND",
        `version ${input.since} does not exist; the newest is ${latest}`,
        { path: "/since", details: { head: latest } },
      );
    }
    const subscriber: Subscriber = {
      cursor: input.since ?? latest,
      mode: (input.since ?? latest) < latest ? "replaying" : "live",
      ...(input.branch === undefined ? {} : { branch: input.branch }),
      ...(input.paths === undefined ? {} : { paths: input.paths }),
      ...(input.types === undefined ? {} : { types: input.types }),
    };
    this.#selectorOf(subscriber);
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    this.#state.acceptWebSocket(server);
    save(server, subscriber);
    server.send(controlFrame({ type: "open", cursor: subscriber.cursor }));
    if (subscriber.mode === "replaying") void this.#replay(server);
    return new Response(null, { status: 101, webSocket: client });
  }

  /**
   * Pushes a version that was just written to every live subscriber it concerns. Pushes run one
   * after another in version order; nothing is built when nobody listens. A push waits until the
   * version is on disk: workerd does not hold a socket's frames behind the write, and a version a
   * subscriber has seen must not vanish with a crash.
   * @param version the version
   */
  published(version: number): void {
    if (this.#state.getWebSockets().length === 0) return;
    this.#pushes = this.#pushes
      .then(() => this.#state.storage.sync())
      .then(() => this.#push(version))
      .catch((error: unknown) => console.error(`push of version ${version} failed`, error));
  }

  /**
   * Handles a message from a relay: {@link STREAM_MORE} resumes a paused replay. (`ping` is
   * answered by the object's auto-response without reaching here.)
   * @param socket the subscriber's socket
   * @param message what it sent
   */
  message(socket: WebSocket, message: string | ArrayBuffer): void {
    if (message !== STREAM_MORE) return;
    const subscriber = load(socket);
    if (subscriber?.mode !== "paused") return;
    save(socket, { ...subscriber, mode: "replaying" });
    void this.#replay(socket);
  }

  async #push(version: number): Promise<void> {
    const row = this.#ctx.versions.row(version);
    if (row === undefined) return;
    let event: StateEvent;
    try {
      event = await versionEvent(this.#ctx, row);
    } catch (error) {
      for (const socket of this.#state.getWebSockets()) fail(socket, error);
      throw error;
    }
    // One frame per distinct filter, shared by every subscriber that has it.
    const frames = new Map<string, string | null>();
    for (const socket of this.#state.getWebSockets()) {
      const subscriber = load(socket);
      if (subscriber === undefined || subscriber.mode === "paused") continue;
      if (subscriber.mode === "replaying") {
        // Its loop was lost with an earlier instance of the object: start it again.
        if (!this.#replaying.has(socket)) void this.#replay(socket);
        continue;
      }
      if (version <= subscriber.cursor) continue;
      if (version > subscriber.cursor + 1) {
        // A version was never pushed to it (the object restarted in between): replay the gap.
        save(socket, { ...subscriber, mode: "replaying" });
        void this.#replay(socket);
        continue;
      }
      if (subscriber.branch === undefined || subscriber.branch === row.branch) {
        const frame = this.#frame(subscriber, event, frames);
        if (frame !== null) send(socket, frame);
      }
      save(socket, { ...subscriber, cursor: version });
    }
  }

  async #replay(socket: WebSocket): Promise<void> {
    if (this.#replaying.has(socket)) return;
    this.#replaying.add(socket);
    try {
      let sent = 0;
      let chars = 0;
      for (;;) {
        const subscriber = load(socket);
        if (subscriber?.mode !== "replaying" || socket.readyState !== WebSocket.OPEN) return;
        const rows = this.#rowsAfter(subscriber);
        if (rows.length === 0) {
          // Nothing left: live from here, decided in the same synchronous step as the query, so
          // every later version is pushed to it and none was both replayed and pushed.
          const cursor = Math.max(subscriber.cursor, this.#ctx.versions.latest());
          save(socket, { ...subscriber, mode: "live", cursor });
          return;
        }
        if (sent >= REPLAY_BATCH || chars >= REPLAY_BATCH_CHARS) {
          save(socket, { ...subscriber, mode: "paused" });
          send(socket, controlFrame({ type: "paused", cursor: subscriber.cursor }));
          return;
        }
        const select = this.#selectorOf(subscriber);
        let cursor = subscriber.cursor;
        // The newest rows may still be on their way to disk (see `published`).
        await this.#state.storage.sync();
        for (const row of rows) {
          const selected = select(await versionEvent(this.#ctx, row, { remember: true }));
          if (socket.readyState !== WebSocket.OPEN) return;
          if (selected !== undefined) {
            const frame = eventFrame(row.version, JSON.stringify(selected));
            send(socket, frame);
            sent++;
            chars += frame.length;
          }
          cursor = row.version;
          if (chars >= REPLAY_BATCH_CHARS) break;
        }
        save(socket, { ...subscriber, cursor });
      }
    } catch (error) {
      fail(socket, error);
    } finally {
      this.#replaying.delete(socket);
    }
  }

  /** The next stored versions a replay sends, in order, at most one batch. */
  #rowsAfter(subscriber: Subscriber): VersionRow[] {
    return subscriber.branch === undefined
      ? this.#ctx.versions.select(
          "WHERE version > ? ORDER BY version LIMIT ?",
          subscriber.cursor,
          REPLAY_BATCH,
        )
      : this.#ctx.versions.select(
          "WHERE branch = ? AND version > ? ORDER BY version LIMIT ?",
          subscriber.branch,
          subscriber.cursor,
          REPLAY_BATCH,
        );
  }

  #frame(subscriber: Subscriber, event: StateEvent, frames: Map<string, string | null>) {
    const key = filterKey(subscriber);
    let frame = frames.get(key);
    if (frame === undefined) {
      const selected = this.#selectorOf(subscriber)(event);
      frame = selected === undefined ? null : eventFrame(event.version, JSON.stringify(selected));
      frames.set(key, frame);
    }
    return frame;
  }

  #selectorOf(subscriber: Subscriber): EventSelector {
    const key = filterKey(subscriber);
    let selector = this.#selectors.get(key);
    if (selector === undefined) {
      try {
        selector = compileEventSelector({
          ...(subscriber.paths === undefined ? {} : { paths: subscriber.paths }),
          ...(subscriber.types === undefined ? {} : { types: subscriber.types }),
        });
      } catch (error) {
        throw error instanceof ChorusError
          ? new ChorusError(error.code, error.message, { path: "/paths" })
          : error;
      }
      this.#selectors.set(key, selector);
    }
    return selector;
  }
}

function filterKey(subscriber: Subscriber): string {
  return JSON.stringify([subscriber.paths ?? null, subscriber.types ?? null]);
}

function load(socket: WebSocket): Subscriber | undefined {
  // Only `save` writes attachments, and every socket gets one before anything reads it.
  return (socket.deserializeAttachment() ?? undefined) as Subscriber | undefined;
}

function save(socket: WebSocket, subscriber: Subscriber): void {
  socket.serializeAttachment(subscriber);
}

function send(socket: WebSocket, message: string): void {
  try {
    socket.send(message);
  } catch {
    // Closed meanwhile: the relay resumes from the last version it received.
  }
}

function fail(socket: WebSocket, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  console.error("change stream failed", error);
  try {
    // A close reason is at most 123 bytes (RFC 6455 §5.5).
    socket.close(INTERNAL_ERROR, message.slice(0, 100));
  } catch {
    // Already closed.
  }
}

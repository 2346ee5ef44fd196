import {
  MAX_BACKLOG_BYTES,
  MAX_BACKLOG_EVENTS,
  REFILL_BELOW_BYTES,
  REFILL_BELOW_EVENTS,
} from "./stream-limits.ts";

const encoder = new TextEncoder();

/** How much queued text one read of the body takes at most. */
const CHUNK_BYTES = 64 * 1024;

interface Frame {
  bytes: Uint8Array;
  /** the version of an event frame */
  version?: number;
}

/**
 * A Server-Sent Events body (`text/event-stream`) with its own queue, so the backlog of a
 * consumer is known: what is queued here is what the runtime has not yet taken to send, because
 * the body is pulled only when the connection can take more (a `highWaterMark` of 0).
 * Each event is `id: <version>`, `event: version`, `data: <json>`. A consumer more than
 * {@link MAX_BACKLOG_EVENTS} events or {@link MAX_BACKLOG_BYTES} behind gets, in place of its
 * backlog, `event: resume` with `{ "since": <the last version it was sent> }`, and the stream ends.
 */
export class SseStream {
  readonly readable: ReadableStream<Uint8Array>;
  #queue: Frame[] = [];
  #queuedBytes = 0;
  #queuedEvents = 0;
  #sent = 0;
  #ending = false;
  #wake: (() => void) | undefined;
  readonly #drained: () => void;
  readonly #finished: () => void;

  /**
   * @param handlers `drained`: the backlog fell low (a paused replay may go on); `finished`: the
   *   stream ended (its last message is queued, or the consumer went away), once
   */
  constructor(handlers: { drained(): void; finished(): void }) {
    this.#drained = handlers.drained;
    this.#finished = handlers.finished;
    this.readable = new ReadableStream<Uint8Array>(
      {
        pull: (controller) => {
          if (this.#deliver(controller)) return;
          return new Promise<void>((resolve) => {
            this.#wake = () => {
              this.#wake = undefined;
              this.#deliver(controller);
              resolve();
            };
          });
        },
        cancel: () => {
          this.#queue = [];
          this.#finish();
        },
      },
      { highWaterMark: 0 },
    );
  }

  /** @param cursor the version the stream starts after: `since` of a resume before any event */
  start(cursor: number): void {
    this.#sent = cursor;
  }

  /**
   * Queues an event, or ends the stream with a resume message when the consumer is too far behind.
   * @param version its version
   * @param json the event as JSON on one line
   */
  event(version: number, json: string): void {
    if (this.#ending) return;
    this.#push({
      bytes: encoder.encode(`id: ${version}\nevent: version\ndata: ${json}\n\n`),
      version,
    });
    if (this.#queuedEvents > MAX_BACKLOG_EVENTS || this.#queuedBytes > MAX_BACKLOG_BYTES) {
      this.resume();
    }
  }

  /** Queues a comment line (`: ping`) when nothing else is waiting to go. */
  comment(text: string): void {
    if (this.#ending || this.#queue.length > 0) return;
    this.#push({ bytes: encoder.encode(`: ${text}\n\n`) });
  }

  /**
   * Ends the stream with `event: resume` and `{ "since": N }`, N the last version the consumer
   * was sent; whatever was still queued is dropped, to be sent again after the resume.
   */
  resume(): void {
    this.end("resume", { since: this.#sent });
  }

  /**
   * Ends the stream with one last event, dropping what is still queued.
   * @param event its name
   * @param data its data, as JSON
   */
  end(event: string, data: unknown): void {
    if (this.#ending) return;
    this.#queue = [];
    this.#queuedBytes = 0;
    this.#queuedEvents = 0;
    this.#push({ bytes: encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`) });
    this.#finish();
  }

  /** Whether the backlog is low enough for a paused replay to go on. */
  get hungry(): boolean {
    return this.#queuedEvents < REFILL_BELOW_EVENTS && this.#queuedBytes < REFILL_BELOW_BYTES;
  }

  /** The last version handed to the connection (or the start). */
  get sent(): number {
    return this.#sent;
  }

  #finish(): void {
    if (this.#ending) return;
    this.#ending = true;
    this.#finished();
  }

  #push(frame: Frame): void {
    this.#queue.push(frame);
    this.#queuedBytes += frame.bytes.byteLength;
    if (frame.version !== undefined) this.#queuedEvents++;
    this.#wake?.();
  }

  /** Hands the runtime what is queued, up to a chunk; closes after the last frame of an end. */
  #deliver(controller: ReadableStreamDefaultController<Uint8Array>): boolean {
    if (this.#queue.length === 0) {
      if (this.#ending) controller.close();
      return this.#ending;
    }
    const taken: Uint8Array[] = [];
    let size = 0;
    while (
      this.#queue.length > 0 &&
      (taken.length === 0 || size + (this.#queue[0]?.bytes.byteLength ?? 0) <= CHUNK_BYTES)
    ) {
      const frame = this.#queue.shift() as Frame;
      taken.push(frame.bytes);
      size += frame.bytes.byteLength;
      this.#queuedBytes -= frame.bytes.byteLength;
      if (frame.version !== undefined) {
        this.#queuedEvents--;
        this.#sent = frame.version;
      }
    }
    controller.enqueue(taken.length === 1 ? (taken[0] as Uint8Array) : concat(taken, size));
    if (this.#ending && this.#queue.length === 0) controller.close();
    else if (this.hungry) this.#drained();
    return true;
  }
}

function concat(parts: readonly Uint8Array[], size: number): Uint8Array {
  const joined = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.byteLength;
  }
  return joined;
}

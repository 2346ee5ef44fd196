// A Server-Sent Events parser of our own (WHATWG HTML §9.2.6, "Interpreting an event stream"):
// `EventSource` cannot send `Authorization`, so the client reads the stream with `fetch` and needs
// the parsing `EventSource` would have done.

/** One dispatched event. */
export interface SseMessage {
  /** the `event:` field; `message` when absent */
  event: string;
  /** the `data:` lines, joined with `\n` */
  data: string;
  /** the last event ID in force when it was dispatched (`id:` of this or an earlier event) */
  lastEventId: string;
}

/**
 * Turns the text of an event stream, in chunks split anywhere, into events. Comment lines
 * (`: ping`) and unknown fields are skipped; an event without data is not dispatched, but its
 * `id:` still sets the last event ID.
 * @example
 * const parser = new SseParser();
 * parser.feed("id: 3\nevent: version\ndata: {}\n\n"); // [{ event: "version", data: "{}", lastEventId: "3" }]
 */
export class SseParser {
  #buffer = "";
  #data: string[] = [];
  #event = "";
  #lastEventId = "";
  #started = false;
  // A chunk that ended in CR: a LF at the start of the next one belongs to the same line end.
  #afterCr = false;

  /** The last event ID seen so far (the value for `Last-Event-ID`). */
  get lastEventId(): string {
    return this.#lastEventId;
  }

  /**
   * @param chunk the next piece of the stream's text (already decoded from UTF-8)
   * @returns the events completed by it, in order
   */
  feed(chunk: string): SseMessage[] {
    let text = chunk;
    if (!this.#started && text.length > 0) {
      this.#started = true;
      // §9.2.6: one leading U+FEFF is ignored.
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.#afterCr && text.startsWith("\n")) text = text.slice(1);
    this.#afterCr = false;
    this.#buffer += text;
    const messages: SseMessage[] = [];
    let start = 0;
    for (;;) {
      const end = lineEnd(this.#buffer, start);
      if (end === -1) break;
      const line = this.#buffer.slice(start, end);
      const isCr = this.#buffer.charCodeAt(end) === 13;
      if (isCr && end + 1 === this.#buffer.length) this.#afterCr = true;
      start = end + (isCr && this.#buffer.charCodeAt(end + 1) === 10 ? 2 : 1);
      const message = this.#line(line);
      if (message) messages.push(message);
    }
    this.#buffer = this.#buffer.slice(start);
    return messages;
  }

  #line(line: string): SseMessage | undefined {
    if (line === "") return this.#dispatch();
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") this.#data.push(value);
    else if (field === "event") this.#event = value;
    // §9.2.6: an id holding NULL is ignored.
    else if (field === "id" && !value.includes("\0")) this.#lastEventId = value;
    return undefined;
  }

  #dispatch(): SseMessage | undefined {
    const data = this.#data;
    const event = this.#event;
    this.#data = [];
    this.#event = "";
    if (data.length === 0) return undefined;
    return { event: event || "message", data: data.join("\n"), lastEventId: this.#lastEventId };
  }
}

/** The index of the next CR or LF at or after `from`, or -1. */
function lineEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10 || code === 13) return i;
  }
  return -1;
}

import { describe, expect, it } from "vitest";
import { SseParser } from "../src/sse-parser.ts";

/** Feeds the chunks in order and collects every event. */
function parse(...chunks: string[]) {
  const parser = new SseParser();
  return { messages: chunks.flatMap((chunk) => parser.feed(chunk)), parser };
}

describe("SseParser", () => {
  it("reads an event's id, name and data", () => {
    expect(parse('id: 3\nevent: version\ndata: {"a":1}\n\n').messages).toEqual([
      { event: "version", data: '{"a":1}', lastEventId: "3" },
    ]);
  });

  it("joins multi-line data with newlines and names an unnamed event message", () => {
    expect(parse("data: one\ndata:two\ndata\ndata:  three\n\n").messages).toEqual([
      { event: "message", data: "one\ntwo\n\n three", lastEventId: "" },
    ]);
  });

  it("skips comment lines and unknown fields", () => {
    expect(parse(": ping\n\n:\nretry: 10\nfoo: bar\ndata: x\n\n: ping\n\n").messages).toEqual([
      { event: "message", data: "x", lastEventId: "" },
    ]);
  });

  it("ends lines at CRLF, CR and LF alike, also when a CRLF is split between chunks", () => {
    const { messages } = parse("id: 1\r", "\ndata: a\r\n\r", "\nid: 2\rdata: b\r\rdata: c\n\n");
    expect(messages).toEqual([
      { event: "message", data: "a", lastEventId: "1" },
      { event: "message", data: "b", lastEventId: "2" },
      { event: "message", data: "c", lastEventId: "2" },
    ]);
  });

  it("keeps an id sent without data as the last event ID, without dispatching", () => {
    const { messages, parser } = parse("id: 7\n\n", "event: version\nid: 8\n\n");
    expect(messages).toEqual([]);
    expect(parser.lastEventId).toBe("8");
    // The event name of an undispatched event does not leak into the next one.
    expect(parser.feed("data: y\n\n")).toEqual([{ event: "message", data: "y", lastEventId: "8" }]);
  });

  it("ignores an id holding NULL and keeps the one before", () => {
    expect(
      parse("id: 4\ndata: a\n\nid: x\0y\ndata: b\n\n").messages.map((m) => m.lastEventId),
    ).toEqual(["4", "4"]);
  });

  it("assembles events split at any character, and drops one leading BOM", () => {
    const text =
      '\uFEFFid: 1\nevent: version\ndata: {"n":1}\n\nevent: resume\ndata: {"since":1}\n\n';
    const whole = parse(text).messages;
    expect(whole).toEqual([
      { event: "version", data: '{"n":1}', lastEventId: "1" },
      { event: "resume", data: '{"since":1}', lastEventId: "1" },
    ]);
    for (let cut = 0; cut <= text.length; cut++) {
      expect(parse(text.slice(0, cut), text.slice(cut)).messages).toEqual(whole);
    }
    expect(parse(...text.split("")).messages).toEqual(whole);
  });

  it("does not dispatch an event the stream ends before its blank line", () => {
    expect(parse("data: half\n").messages).toEqual([]);
  });
});

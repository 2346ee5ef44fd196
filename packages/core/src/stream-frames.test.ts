import { describe, expect, it } from "vitest";
import { controlFrame, eventFrame, readFrame, STREAM_PONG } from "./stream-frames.ts";
import { catchError } from "./testing/catch-error.ts";

describe("stream frames", () => {
  it("round-trips events, control messages and pongs", () => {
    const json = JSON.stringify({ version: 12, text: "a\nb" });
    expect(readFrame(eventFrame(12, json))).toEqual({ kind: "event", version: 12, json });
    expect(readFrame(controlFrame({ type: "paused", cursor: 100 }))).toEqual({
      kind: "control",
      control: { type: "paused", cursor: 100 },
    });
    expect(readFrame(STREAM_PONG)).toEqual({ kind: "pong" });
  });

  it("refuses anything else", () => {
    for (const text of ["", "x\n{}", '{"type":"other"}', "{"]) {
      expect(catchError(() => readFrame(text)).code).toBe("INVALID_JSON");
    }
  });
});

import * as v from "valibot";
import { ChorusError } from "./errors.ts";
import { StreamControl, type StreamSubscription } from "./schemas/stream-control.ts";

/** The header of the WebSocket upgrade that carries the {@link StreamSubscription} as JSON. */
export const STREAM_SUBSCRIPTION_HEADER = "x-chorus-subscription";

/** What a relay sends the state manager to ask for the next replay batch. */
export const STREAM_MORE = "more";

/** What a subscriber may send to check the line; the state manager answers {@link STREAM_PONG}. */
export const STREAM_PING = "ping";

/** The state manager's answer to {@link STREAM_PING}, sent without waking it. */
export const STREAM_PONG = "pong";

/** A message from the state manager to a relay, decoded. */
export type StreamFrame =
  | { kind: "event"; version: number; json: string }
  | { kind: "control"; control: StreamControl }
  | { kind: "pong" };

/**
 * Frames an event for the relay: its version, a newline, its JSON (one line), so the relay can
 * forward or re-frame it (as SSE) without parsing it.
 * @param version the event's version
 * @param json the event as JSON text, without newlines
 * @returns the message
 */
export function eventFrame(version: number, json: string): string {
  return `${version}\n${json}`;
}

/**
 * @param control a control message
 * @returns it as a message
 */
export function controlFrame(control: StreamControl): string {
  return JSON.stringify(control);
}

/**
 * Decodes a message from the state manager.
 * @param text the message
 * @returns the frame
 * @throws ChorusError `INVALID_JSON` when it is none of the three kinds
 * @example
 * readFrame(eventFrame(7, '{"version":7}')); // { kind: "event", version: 7, json: '{"version":7}' }
 */
export function readFrame(text: string): StreamFrame {
  if (text === STREAM_PONG) return { kind: "pong" };
  const newline = text.indexOf("\n");
  if (newline > 0 && /^\d+$/.test(text.slice(0, newline))) {
    return {
      kind: "event",
      version: Number(text.slice(0, newline)),
      json: text.slice(newline + 1),
    };
  }
  try {
    return { kind: "control", control: v.parse(StreamControl, JSON.parse(text)) };
  } catch {
    throw new ChorusError("INVALID_JSON", "not a stream frame", {
      details: { frame: text.slice(0, 100) },
    });
  }
}

import { STREAM_PING } from "@chorus/core";
import type { Identity } from "./auth.ts";
import type { Env } from "./env.ts";
import { Upstream } from "./state-stream.ts";
import { watchCredential } from "./stream-guard.ts";
import { MAX_BACKLOG_BYTES, MAX_BACKLOG_EVENTS, streamTimers } from "./stream-limits.ts";

/** Close code of a consumer that fell behind; its reason is `{"since":N}`. */
export const CLOSE_TOO_SLOW = 4008;

/** Close code of a stream whose token was revoked. */
export const CLOSE_REVOKED = 4401;

/** Close code of a stream whose state manager restarted; its reason is `{"since":N}`. */
const CLOSE_RESTART = 1012;

const encoder = new TextEncoder();

/**
 * Serves a change stream as a WebSocket: one StateEvent JSON text message per version. Workers
 * cannot see how much a WebSocket has buffered (no `bufferedAmount`), so a subscriber's backlog
 * is what it has not acknowledged: it sends `{"ack":N}` for the last version it processed
 * (every few hundred events is enough). Past {@link MAX_BACKLOG_EVENTS} events or
 * {@link MAX_BACKLOG_BYTES} unacknowledged, the stream closes with {@link CLOSE_TOO_SLOW} and
 * `{"since":<last acknowledged>}`. `ping` is answered `pong` by the state manager's
 * auto-response, end to end.
 * @param env the bindings
 * @param ctx the request's context, kept alive until the state manager's end has closed
 * @param identity the caller, whose token is looked up again while the stream is open
 * @param socket the state manager's end, from `openStateStream`
 * @returns the `101` response with the client's end
 */
export function relayAsWebSocket(
  env: Env,
  ctx: ExecutionContext,
  identity: Identity,
  socket: WebSocket,
): Response {
  const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
  server.accept();
  const timers = streamTimers(env);
  // Sent, not yet acknowledged: versions and sizes, oldest first.
  const unacked: Array<{ version: number; bytes: number }> = [];
  let unackedBytes = 0;
  let acked = 0;
  let open = true;
  const close = (code: number, reason: string) => {
    if (!open) return;
    open = false;
    stopWatching();
    upstream.close(1000, "the subscriber's stream ended");
    try {
      server.close(code, reason);
    } catch {
      // Closed meanwhile.
    }
  };
  // The subscriber may have gone without its close having arrived yet.
  const deliver = (message: string): boolean => {
    try {
      server.send(message);
      return true;
    } catch {
      close(1011, "the subscriber's socket failed");
      return false;
    }
  };
  const upstream = new Upstream(socket, {
    open(cursor) {
      acked = cursor;
    },
    event(version, json) {
      if (!open) return;
      if (!deliver(json)) return;
      const bytes = encoder.encode(json).byteLength;
      unacked.push({ version, bytes });
      unackedBytes += bytes;
      if (unacked.length > MAX_BACKLOG_EVENTS || unackedBytes > MAX_BACKLOG_BYTES) {
        close(CLOSE_TOO_SLOW, JSON.stringify({ since: acked }));
      }
    },
    paused: () => upstream.more(),
    pong() {
      if (open) deliver("pong");
    },
    closed(code, reason) {
      if (code === 1011) close(1011, reason.slice(0, 100));
      else close(CLOSE_RESTART, JSON.stringify({ since: acked }));
    },
  });
  ctx.waitUntil(upstream.finished);
  server.addEventListener("message", (message) => {
    const text = typeof message.data === "string" ? message.data : undefined;
    if (text === STREAM_PING) return upstream.ping();
    const ack = text === undefined ? undefined : ackOf(text);
    if (ack === undefined) {
      return close(1008, 'send {"ack":<version>} or "ping"');
    }
    while (unacked.length > 0 && (unacked[0]?.version ?? Number.POSITIVE_INFINITY) <= ack) {
      unackedBytes -= unacked.shift()?.bytes ?? 0;
    }
    acked = Math.max(acked, ack);
  });
  // Compatibility date 2026-04-01: a close is answered by hand (RFC 6455 §5.5.1).
  server.addEventListener("close", () => close(1000, ""));
  server.addEventListener("error", () => close(1011, "the subscriber's socket failed"));
  const stopWatching = watchCredential(env, identity, timers.recheckMs, () =>
    close(CLOSE_REVOKED, "the token was revoked"),
  );
  return new Response(null, { status: 101, webSocket: client });
}

function ackOf(text: string): number | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || !("ack" in value)) return undefined;
    const ack = value.ack;
    return typeof ack === "number" && Number.isSafeInteger(ack) && ack >= 0 ? ack : undefined;
  } catch {
    return undefined;
  }
}

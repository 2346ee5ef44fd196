import type { Identity } from "./auth.ts";
import type { Env } from "./env.ts";
import { SseStream } from "./sse-stream.ts";
import { Upstream } from "./state-stream.ts";
import { watchCredential } from "./stream-guard.ts";
import { streamTimers } from "./stream-limits.ts";

/** Close codes of the state manager's end that mean it failed, rather than went away. */
const FAILED = new Set([1011]);

/**
 * Serves a change stream as Server-Sent Events: the gateway holds the state manager's socket and
 * writes each event into the response body as it arrives. The object stays hibernatable (an
 * idle stream costs it nothing); what the stream pins is this request's gateway invocation,
 * which is stateless, CPU-billed and runs near the client.
 * @param env the bindings
 * @param ctx the request's context, kept alive until the state manager's end has closed
 * @param identity the caller, whose token is looked up again while the stream is open
 * @param socket the state manager's end, from `openStateStream`
 * @returns the `text/event-stream` response
 */
export function relayAsSse(
  env: Env,
  ctx: ExecutionContext,
  identity: Identity,
  socket: WebSocket,
): Response {
  const timers = streamTimers(env);
  let replayPaused = false;
  const stream = new SseStream({
    drained() {
      if (!replayPaused) return;
      replayPaused = false;
      upstream.more();
    },
    finished() {
      clearInterval(ping);
      stopWatching();
      upstream.close(1000, "the stream ended");
    },
  });
  const upstream = new Upstream(socket, {
    open: (cursor) => stream.start(cursor),
    event: (version, json) => stream.event(version, json),
    paused() {
      if (stream.hungry) upstream.more();
      else replayPaused = true;
    },
    pong: () => undefined,
    closed(code, reason) {
      if (FAILED.has(code)) stream.end("end", { code: "INTERNAL", detail: reason });
      else stream.resume();
    },
  });
  ctx.waitUntil(upstream.finished);
  const ping = setInterval(() => stream.comment("ping"), timers.pingMs);
  const stopWatching = watchCredential(env, identity, timers.recheckMs, () =>
    stream.end("end", { code: "UNAUTHENTICATED", detail: "the token was revoked" }),
  );
  return new Response(stream.readable, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      // Proxies that buffer responses (nginx) would hold events back.
      "x-accel-buffering": "no",
    },
  });
}

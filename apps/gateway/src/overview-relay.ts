import { STREAM_PING } from "@chorus/core";
import type { Identity } from "./auth.ts";
import type { Env } from "./env.ts";
import { watchCredential } from "./stream-guard.ts";
import { streamTimers } from "./stream-limits.ts";
import { CLOSE_REVOKED } from "./ws-relay.ts";

/**
 * Relays the IntegrationDashboard's live socket to a page: each Overview JSON text message the
 * dashboard pushes is passed on, and the page's `ping` goes to the dashboard (answered `pong`
 * without waking it). The gateway stays in between, rather than handing the dashboard's socket
 * out, so that revoking the token closes the page's socket with {@link CLOSE_REVOKED}, as every
 * stream does; the dashboard hibernates meanwhile.
 * @param env the bindings
 * @param identity the caller, whose token is looked up again while the socket is open
 * @param upstream the dashboard's end, accepted here
 * @returns the `101` response with the page's end
 */
export function relayOverview(env: Env, identity: Identity, upstream: WebSocket): Response {
  const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
  server.accept();
  upstream.accept();
  let open = true;
  const close = (code: number, reason: string) => {
    if (!open) return;
    open = false;
    stopWatching();
    for (const socket of [upstream, server]) {
      try {
        socket.close(code, reason);
      } catch {
        // Closed meanwhile.
      }
    }
  };
  upstream.addEventListener("message", (message) => {
    if (!open || typeof message.data !== "string") return;
    try {
      server.send(message.data);
    } catch {
      close(1011, "the page's socket failed");
    }
  });
  server.addEventListener("message", (message) => {
    if (message.data === STREAM_PING) upstream.send(STREAM_PING);
    else close(1008, 'this socket only pushes; send "ping" or nothing');
  });
  // Compatibility date 2026-04-01: a close is answered by hand (RFC 6455 §5.5.1).
  upstream.addEventListener("close", (event) => close(sendable(event.code), ""));
  server.addEventListener("close", () => close(1000, ""));
  upstream.addEventListener("error", () => close(1011, "the dashboard's socket failed"));
  server.addEventListener("error", () => close(1011, "the page's socket failed"));
  const stopWatching = watchCredential(env, identity, streamTimers(env).recheckMs, () =>
    close(CLOSE_REVOKED, "the token was revoked"),
  );
  return new Response(null, { status: 101, webSocket: client });
}

/** A received close code as one that may be sent: 1005 and 1006 only describe a close. */
function sendable(code: number): number {
  if (code === 1005) return 1000;
  return code === 1006 || code === 1015 ? 1011 : code;
}

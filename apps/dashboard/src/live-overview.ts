import type { Overview } from "@chorus/core";
import { api } from "./api.ts";

/** What the live overview reports. */
export interface OverviewHandlers {
  /** the overview, as the Integration Dashboard pushed it */
  onOverview(overview: Overview): void;
  /** whether the socket is open (the view polls while it is not) */
  onLive(live: boolean): void;
}

const MAX_BACKOFF_MS = 10_000;

/**
 * Follows the overview over the gateway's WebSocket (`/api/overview/live`), which pushes it after
 * every change. Each connection takes a fresh single-use ticket, so the token never appears in a
 * URL; after a cut it connects again, backing off up to 10 s.
 * @param handlers receive overviews and the connection's state
 * @returns stops following
 */
export function followOverview(handlers: OverviewHandlers): () => void {
  let socket: WebSocket | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let backoff = 500;
  let stopped = false;

  const retry = () => {
    handlers.onLive(false);
    if (stopped) return;
    timer = setTimeout(() => void open(), backoff);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  };

  async function open(): Promise<void> {
    let ticket: string;
    try {
      ticket = (await api.overviewTicket()).ticket;
    } catch {
      return retry();
    }
    if (stopped) return;
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(
      `${scheme}//${location.host}/api/overview/live?${new URLSearchParams({ ticket })}`,
    );
    socket = ws;
    ws.onmessage = (message: MessageEvent<unknown>) => {
      if (typeof message.data !== "string" || !message.data.startsWith("{")) return;
      backoff = 500;
      handlers.onLive(true);
      handlers.onOverview(JSON.parse(message.data) as Overview);
    };
    // An error is followed by a close; a close of a socket already replaced changes nothing.
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = undefined;
      retry();
    };
  }

  void open();
  return () => {
    stopped = true;
    clearTimeout(timer);
    const open = socket;
    socket = undefined;
    open?.close(1000, "left the overview");
  };
}

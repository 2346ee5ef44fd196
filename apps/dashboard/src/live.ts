import type { StateEvent } from "@chorus/core";
import { api } from "./api.ts";

/** What a followed workflow reports. */
export interface LiveHandlers {
  /** a committed version, in order per branch */
  onEvent(event: StateEvent): void;
  /** whether the stream is open */
  onLive(live: boolean): void;
}

const MAX_BACKOFF_MS = 10_000;

/**
 * Follows a workflow's change stream (SSE). Each connection takes a fresh single-use stream
 * ticket, so the token never appears in a URL; after a cut it resumes from the last version seen.
 * @param workflowId the workflow
 * @param since the version the page already shows
 * @param handlers receive events and the connection's state
 * @returns stops following
 */
export function follow(workflowId: string, since: number, handlers: LiveHandlers): () => void {
  let last = since;
  let source: EventSource | undefined;
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
      ticket = (await api.ticket(workflowId)).ticket;
    } catch {
      return retry();
    }
    if (stopped) return;
    const query = new URLSearchParams({ ticket, since: String(last) });
    const stream = new EventSource(
      `/api/workflows/${encodeURIComponent(workflowId)}/events?${query}`,
    );
    source = stream;
    stream.onopen = () => {
      backoff = 500;
      handlers.onLive(true);
    };
    stream.addEventListener("version", (message) => {
      const event = JSON.parse((message as MessageEvent<string>).data) as StateEvent;
      last = Math.max(last, event.version);
      handlers.onEvent(event);
    });
    // `resume` (fell behind, or the state manager restarted) and `end`: reconnect from `last`
    // with a new ticket; EventSource's own retry would reuse the spent one.
    const cut = () => {
      // An error after `end`, or from a stream already replaced, changes nothing.
      if (source !== stream) return;
      stream.close();
      source = undefined;
      retry();
    };
    stream.addEventListener("resume", cut);
    stream.addEventListener("end", cut);
    stream.onerror = cut;
  }

  void open();
  return () => {
    stopped = true;
    clearTimeout(timer);
    source?.close();
  };
}

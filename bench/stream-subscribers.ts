// Change-stream subscribers for the streams bench: SSE read with fetch and the client's own
// parser, and WebSockets (Node 20's global WebSocket, behind --experimental-websocket) opened
// with a ticket. Each records when each version reached it.
import { SseParser } from "@chorus/client";

/** One open subscriber: when each version arrived (ms, `performance.now()`), and `close()`. */
export interface Subscriber {
  arrivals: Map<number, number>;
  /** versions received, in order, to check that none is lost or repeated */
  order: number[];
  close(): void;
}

/** Where the stack is and who asks. */
export interface Target {
  url: string;
  token: string;
  workflowId: string;
}

/**
 * Opens an SSE subscriber (`GET …/events`); resolves once the answer's headers are in, when the
 * state manager already holds its subscription.
 * @param target the stack, token and workflow
 * @param since replay after this version
 */
export async function openSse(target: Target, since: number): Promise<Subscriber> {
  const controller = new AbortController();
  const response = await fetch(
    `${target.url}/api/workflows/${target.workflowId}/events?since=${since}`,
    {
      headers: { authorization: `Bearer ${target.token}`, accept: "text/event-stream" },
      signal: controller.signal,
    },
  );
  if (response.status !== 200 || response.body === null) {
    throw new Error(`events: ${response.status} ${await response.text()}`);
  }
  const subscriber: Subscriber = {
    arrivals: new Map(),
    order: [],
    close: () => controller.abort(),
  };
  const parser = new SseParser();
  const decoder = new TextDecoder();
  void (async () => {
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        const now = performance.now();
        for (const message of parser.feed(decoder.decode(chunk, { stream: true }))) {
          if (message.event !== "version") continue;
          const { version } = JSON.parse(message.data) as { version: number };
          subscriber.arrivals.set(version, now);
          subscriber.order.push(version);
        }
        arrived();
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
  })();
  return subscriber;
}

/**
 * Opens a WebSocket subscriber (`GET …/subscribe` with a ticket, as a browser would), which
 * acknowledges every 100 versions; resolves once it is open.
 * @param target the stack, token and workflow
 * @param since replay after this version
 * @param ticket one from {@link issueTicket}; by default one is issued here
 */
export async function openWebSocket(
  target: Target,
  since: number,
  ticket?: string,
): Promise<Subscriber> {
  const base = `${target.url}/api/workflows/${target.workflowId}`;
  ticket ??= await issueTicket(target);
  const url = `${base.replace(/^http/, "ws")}/subscribe?since=${since}&ticket=${ticket}`;
  const socket = new WebSocket(url);
  const subscriber: Subscriber = { arrivals: new Map(), order: [], close: () => socket.close() };
  socket.addEventListener("message", (message) => {
    const now = performance.now();
    const { version } = JSON.parse(String(message.data)) as { version: number };
    subscriber.arrivals.set(version, now);
    subscriber.order.push(version);
    arrived();
    // The server closes a socket 1,000 versions unacknowledged (4008).
    if (subscriber.order.length % 100 === 0) socket.send(JSON.stringify({ ack: version }));
  });
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener("open", () => resolve(), { once: true });
    socket.addEventListener("error", () => reject(new Error("subscribe: the socket failed")), {
      once: true,
    });
  });
  return subscriber;
}

/**
 * Issues a stream ticket (`POST …/tickets`), single use, valid 60 s.
 * @param target the stack, token and workflow
 */
export async function issueTicket(target: Target): Promise<string> {
  const issued = await fetch(`${target.url}/api/workflows/${target.workflowId}/tickets`, {
    method: "POST",
    headers: { authorization: `Bearer ${target.token}` },
  });
  if (issued.status !== 201) throw new Error(`tickets: ${issued.status} ${await issued.text()}`);
  return ((await issued.json()) as { ticket: string }).ticket;
}

// Whoever waits for a version is woken by each arrival, rather than polling (this process
// shares two cores with workerd).
let waiting: (() => void) | undefined;
function arrived(): void {
  const wake = waiting;
  waiting = undefined;
  wake?.();
}

/**
 * Resolves when every subscriber holds `version`.
 * @returns the latest arrival among them
 */
export async function allReceived(
  subscribers: readonly Subscriber[],
  version: number,
): Promise<number> {
  const started = performance.now();
  for (;;) {
    let last = 0;
    let missing = false;
    for (const subscriber of subscribers) {
      const at = subscriber.arrivals.get(version);
      if (at === undefined) {
        missing = true;
        break;
      }
      last = Math.max(last, at);
    }
    if (!missing) return last;
    if (performance.now() - started > 10_000) throw new Error(`v${version} did not reach everyone`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1000);
      waiting = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

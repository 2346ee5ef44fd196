// V8's inspector on the local stack's workers (`CHORUS_INSPECTOR_PORT`, see packages/devstack):
// one DevTools protocol session per worker isolate, for CPU profiles and heap figures.
interface Socket {
  send(data: string): void;
  close(): void;
  addEventListener(type: "open" | "message", listener: (event: { data: unknown }) => void): void;
}

/** A DevTools protocol session on one isolate. */
export interface InspectorSession {
  send(method: string, params?: object): Promise<unknown>;
  close(): void;
}

/**
 * Opens a session on the first inspector target whose title holds `title` (workerd names a
 * worker's isolate `core:user:<worker name>`). Node 22 has WebSocket; Node 20 needs
 * `--experimental-websocket`.
 */
export async function connectInspector(port: number, title: string): Promise<InspectorSession> {
  const WebSocketClass = (globalThis as unknown as { WebSocket?: new (url: string) => Socket })
    .WebSocket;
  if (WebSocketClass === undefined) throw new Error("run with node --experimental-websocket");
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as Array<{
    title: string;
    id: string;
  }>;
  const target = targets.find((candidate) => candidate.title.includes(title));
  if (target === undefined) throw new Error(`no inspector target ${title}`);
  const socket = new WebSocketClass(`ws://127.0.0.1:${port}/${target.id}`);
  await new Promise((resolve) => socket.addEventListener("open", resolve));
  const pending = new Map<number, (value: unknown) => void>();
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  let next = 0;
  return {
    send(method, params = {}) {
      const id = ++next;
      socket.send(JSON.stringify({ id, method, params }));
      return new Promise((resolve) => pending.set(id, resolve));
    },
    close: () => socket.close(),
  };
}

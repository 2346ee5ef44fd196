import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** A request the fake server received. */
export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the fake server answers. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** ends the connection without answering (`status` unused), as a server that closed it under the request */
  reset?: true;
}

/**
 * A local HTTP server for the client's own logic (error mapping, headers, retries): each request
 * is recorded and answered by `handler`. The real API is exercised in stack.test.ts.
 * @param handler answers a request
 * @returns the base URL, the requests received so far, and `close()`
 */
export async function fakeServer(handler: (request: Received, index: number) => Reply) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on("end", () => {
      const request = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
      received.push(request);
      const reply = handler(request, received.length - 1);
      if (reply.reset) {
        req.socket.resetAndDestroy();
        return;
      }
      const json = reply.body !== undefined && typeof reply.body !== "string";
      res.writeHead(reply.status, {
        ...(json ? { "content-type": "application/json" } : {}),
        ...reply.headers,
      });
      res.end(json ? JSON.stringify(reply.body) : (reply.body as string | undefined));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FakeLinear, type FakeLinearOptions, type FakeResponse } from "./fake-linear.ts";
import type { FakeFaults, IssueEdit } from "./model.ts";

/** A running fake: its base URL, the GraphQL endpoint to give the SDK as `apiUrl`, its state. */
export interface RunningFakeLinear {
  /** e.g. `http://127.0.0.1:43121` */
  url: string;
  /** `${url}/graphql` */
  apiUrl: string;
  fake: FakeLinear;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text === "" ? {} : JSON.parse(text);
}

function send(response: ServerResponse, answer: FakeResponse): void {
  response.writeHead(answer.status, answer.headers).end(answer.body);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  send(response, {
    status,
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? "" : JSON.stringify(body),
  });
}

// The control routes under /_fake/ are the tests' handle on the fake (from Node or, over
// loopback, from workerd): read what a team received, inject faults, take the webhooks, and edit
// an issue as a person would in Linear's app.
async function route(fake: FakeLinear, request: IncomingMessage): Promise<FakeResponse> {
  const url = new URL(request.url ?? "/", "http://fake");
  const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const body = request.method === "POST" || request.method === "PUT" ? await readBody(request) : {};
  const ok = (value: unknown): FakeResponse => ({
    status: 200,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(value ?? null),
  });
  if (request.method === "POST" && url.pathname === "/graphql") {
    return fake.graphql(request.headers.authorization, body);
  }
  const [root, kind, id, action, verb] = parts;
  if (root === "_fake" && kind === "teams" && id !== undefined) {
    if (request.method === "GET" && action === undefined) {
      return ok({ ...fake.team(id), states: fake.states(id) });
    }
    if (request.method === "PUT" && action === "faults") {
      fake.setFaults(id, body as FakeFaults);
      return ok({});
    }
    if (request.method === "POST" && action === "webhooks" && verb === "take") {
      return ok({ deliveries: fake.takeWebhooks(id) });
    }
  }
  if (root === "_fake" && kind === "issues" && id !== undefined && action === "edit") {
    const { edit, timestamp } = body as { edit: IssueEdit; timestamp?: number };
    return ok(fake.editIssue(id, edit, timestamp));
  }
  return { status: 404, headers: { "Content-Type": "text/plain" }, body: "not found" };
}

/**
 * Starts the fake Linear on a loopback port.
 * @param options the API key and webhook secret it expects and signs with; `port` 0 (any free)
 * @returns the running fake
 * @example
 * const linear = await startFakeLinear({ apiKey: "lin_api_test", webhookSecret: "s" });
 * const client = new LinearClient({ apiKey: "lin_api_test", apiUrl: linear.apiUrl });
 */
export async function startFakeLinear(
  options: FakeLinearOptions & { port?: number },
): Promise<RunningFakeLinear> {
  const fake = new FakeLinear(options);
  const server = createServer((request, response) => {
    route(fake, request).then(
      (answer) => send(response, answer),
      (error: unknown) => sendJson(response, 500, { error: String(error) }),
    );
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    apiUrl: `${url}/graphql`,
    fake,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

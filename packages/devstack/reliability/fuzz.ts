import { loadOperations, type Operation } from "./api-routes.ts";
import { hostileRequest, type Targets } from "./hostile.ts";
import { Random } from "./random.ts";

/** How a fuzz run is bounded and seeded. */
export interface FuzzOptions {
  baseUrl: string;
  /** an admin token */
  token: string;
  seed: number;
  /** requests to send at most */
  count: number;
  /** seconds to run at most */
  seconds: number;
  /** requests in flight at once. Default 4 */
  concurrency?: number;
}

/** A request whose answer broke the promise. */
export interface FuzzFailure {
  index: number;
  kind: string;
  request: string;
  status: number;
  contentType: string | null;
  body: string;
}

/** What a run found. */
export interface FuzzReport {
  seed: number;
  sent: number;
  operations: number;
  /** answers by status */
  statuses: Record<string, number>;
  /** requests by kind of hostility (the first words) */
  kinds: Record<string, number>;
  failures: FuzzFailure[];
  /** whether the control workflow's state, history and audit trail are byte-identical */
  controlUnchanged: boolean;
  /** connection errors (ECONNRESET …): none are expected */
  networkErrors: number;
}

/**
 * Sends seeded hostile requests to every operation of a running stack and checks every answer:
 * a 4xx problem+json for an invalid request, never a 5xx, and the control workflow untouched.
 * @param options the stack, the seed and the bounds
 * @returns the report; `failures` empty and `controlUnchanged` true when the promise holds
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const operations = await loadOperations(options.baseUrl);
  const methodsOf = new Map<string, string[]>();
  for (const op of operations)
    methodsOf.set(op.path, [...(methodsOf.get(op.path) ?? []), op.method]);
  const targets: Targets = {
    token: options.token,
    control: await createWorkflow(options, "fuzz control"),
    target: await createWorkflow(options, "fuzz target"),
  };
  const before = await snapshotOf(options, targets.control);
  const rng = new Random(options.seed);
  const report: FuzzReport = {
    seed: options.seed,
    sent: 0,
    operations: operations.length,
    statuses: {},
    kinds: {},
    failures: [],
    controlUnchanged: false,
    networkErrors: 0,
  };
  const deadline = Date.now() + options.seconds * 1000;
  // Every operation in turn, then at random: a short run still reaches each route.
  const requests = Array.from({ length: options.count }, (_, index) => {
    const op = index < operations.length ? (operations[index] as Operation) : rng.pick(operations);
    return hostileRequest(op, methodsOf, rng, targets);
  });
  let next = 0;
  const worker = async () => {
    while (next < requests.length && Date.now() < deadline) {
      const index = next++;
      const request = requests[index];
      if (request === undefined) break;
      report.sent++;
      const kind = request.kind.split(/[:(=]/)[0]?.trim() ?? request.kind;
      report.kinds[kind] = (report.kinds[kind] ?? 0) + 1;
      let response: Response;
      try {
        response = await fetch(`${options.baseUrl}${request.path}`, {
          method: request.method,
          headers: request.headers,
          ...(request.body === undefined ? {} : { body: request.body }),
          redirect: "manual",
        });
      } catch (error) {
        report.networkErrors++;
        report.failures.push({
          index,
          kind: request.kind,
          request: `${request.method} ${request.path.slice(0, 120)}`,
          status: 0,
          contentType: null,
          body: String((error as Error).cause ?? error),
        });
        continue;
      }
      const contentType = response.headers.get("content-type");
      const stream = contentType?.startsWith("text/event-stream") === true;
      // A stream (a resumed SSE request that was accepted) never ends by itself.
      if (stream) await response.body?.cancel();
      const body = stream ? "" : await response.text();
      report.statuses[response.status] = (report.statuses[response.status] ?? 0) + 1;
      const refused =
        response.status >= 400 &&
        response.status < 500 &&
        contentType === "application/problem+json";
      const ok = request.expect === "refuse" ? refused : response.status < 500;
      if (!ok) {
        report.failures.push({
          index,
          kind: request.kind,
          request: `${request.method} ${request.path.slice(0, 120)}`,
          status: response.status,
          contentType,
          body: body.slice(0, 300),
        });
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  const after = await snapshotOf(options, targets.control);
  report.controlUnchanged = after === before;
  return report;
}

async function createWorkflow(options: FuzzOptions, name: string): Promise<string> {
  const headers = { authorization: `Bearer ${options.token}`, "content-type": "application/json" };
  const created = await fetch(`${options.baseUrl}/api/workflows`, {
    method: "POST",
    headers,
    body: JSON.stringify({ name, initialState: { data: { n: 0 } } }),
  });
  if (created.status !== 201) throw new Error(`creating ${name} answered ${created.status}`);
  const { workflow } = (await created.json()) as { workflow: { id: string } };
  // A little history, so that there is something to change or lose.
  for (let n = 1; n <= 3; n++) {
    const patched = await fetch(`${options.baseUrl}/api/workflows/${workflow.id}/state`, {
      method: "PATCH",
      headers: { ...headers, "content-type": "application/json-patch+json" },
      body: JSON.stringify([{ op: "replace", path: "/data/n", value: n }]),
    });
    if (patched.status !== 201) throw new Error(`committing to ${name} answered ${patched.status}`);
    await patched.text();
  }
  return workflow.id;
}

/** The control workflow's state, history and audit trail, as the bytes the API answers. */
async function snapshotOf(options: FuzzOptions, workflowId: string): Promise<string> {
  const parts: string[] = [];
  for (const tail of ["/state", "/history?limit=100", "/audit?limit=100", "/conflicts"]) {
    const response = await fetch(`${options.baseUrl}/api/workflows/${workflowId}${tail}`, {
      headers: { authorization: `Bearer ${options.token}` },
    });
    parts.push(`${response.status} ${await response.text()}`);
  }
  return parts.join("\n");
}

/**
 * @param report a run's report
 * @returns its summary, seed first, for a terminal
 */
export function describeFuzz(report: FuzzReport): string {
  const lines = [
    `fuzz seed ${report.seed} (replay with FUZZ_SEED=${report.seed})`,
    `${report.sent} hostile requests over ${report.operations} operations; statuses ${JSON.stringify(report.statuses)}`,
    `kinds ${JSON.stringify(report.kinds)}`,
    `control workflow ${report.controlUnchanged ? "byte-identical" : "CHANGED"}; ${report.failures.length} failures; ${report.networkErrors} connection errors`,
  ];
  for (const failure of report.failures.slice(0, 20)) {
    lines.push(
      `  #${failure.index} ${failure.kind}: ${failure.request} → ${failure.status} ${failure.contentType ?? ""} ${failure.body.slice(0, 200)}`,
    );
  }
  return lines.join("\n");
}

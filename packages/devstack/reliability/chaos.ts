import { SseParser } from "@chorus/client";
import { Random } from "./random.ts";
import { type Runtime, startRuntime } from "./runtime.ts";

/** How a crash run is bounded and seeded. */
export interface ChaosOptions {
  /** the persisted state, fresh for the run */
  stateDir: string;
  cycles: number;
  seed: number;
  /** workflows written concurrently. Default 3 */
  workflows?: number;
  /** the kill comes this long after the writers start, at random. Default 300–2,500 ms */
  killAfterMs?: [number, number];
  log?: (line: string) => void;
}

/** One kill-and-restart cycle. */
export interface CycleReport {
  cycle: number;
  killedAfterMs: number;
  /** acknowledged in this cycle */
  commits: number;
  tasksCreated: number;
  tasksCompleted: number;
  /** spawn of the new runtime → its first successful read of a workflow */
  restartToReadMs: number;
  /** the runtime answering its health check → that read: how long the objects took to recover */
  readyToReadMs: number;
  failures: string[];
}

/** What a run found. */
export interface ChaosReport {
  seed: number;
  cycles: CycleReport[];
  failures: string[];
}

/**
 * How a failure begins when a subscriber was sent a version that a restart then did not have:
 * streamed before it was durable (found by this suite; see RELIABILITY.md).
 */
const STREAMED_THEN_LOST = "streamed-then-lost:";

/** What the writers were told had happened, per workflow: the promise to check. */
interface Ledger {
  id: string;
  agentId: string;
  /** acknowledged versions and their checksums */
  acked: Map<number, string>;
  tasksCreated: Set<string>;
  tasksCompleted: Set<string>;
  /** versions the subscriber received, in order, over every cycle */
  seen: number[];
}

/**
 * Kills the stack (SIGKILL to workerd and its parent) at random moments while concurrent
 * writers commit, patch, create, claim and complete tasks and subscribers follow, then restarts
 * it on the same directory and checks every promise after each cycle.
 * @param options the directory, cycles, seed
 * @returns per cycle, the acknowledged work, the recovery time and any broken promise
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  process.on("uncaughtException", ignoreTerminated);
  try {
    return await cycles(options);
  } finally {
    process.off("uncaughtException", ignoreTerminated);
  }
}

// Node 20's fetch (undici) can throw `TypeError: terminated` out of band, from a socket event,
// when the server dies while a body is being read: the in-band rejection arrives too and is
// handled. Anything else is rethrown, which ends the process as usual.
function ignoreTerminated(error: Error): void {
  const cause = error.cause as { code?: string } | undefined;
  if (error.message === "terminated" && cause?.code === "UND_ERR_SOCKET") return;
  throw error;
}

async function cycles(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? (() => {});
  const rng = new Random(options.seed);
  const [minKill, maxKill] = options.killAfterMs ?? [300, 2500];
  let runtime = await startRuntime(options.stateDir);
  const ledgers: Ledger[] = [];
  for (let i = 0; i < (options.workflows ?? 3); i++) ledgers.push(await setUp(runtime, i));
  const report: ChaosReport = { seed: options.seed, cycles: [], failures: [] };
  try {
    for (let cycle = 1; cycle <= options.cycles; cycle++) {
      const before = ledgers.map((l) => [l.acked.size, l.tasksCreated.size, l.tasksCompleted.size]);
      const stop = new AbortController();
      // Each ends when the runtime dies under it: how it failed is of no interest, only what
      // was acknowledged before.
      const work = ledgers.flatMap((ledger) =>
        [
          committer(runtime, ledger, stop.signal),
          tasker(runtime, ledger, stop.signal),
          subscriber(runtime, ledger, stop.signal),
        ].map((done) => done.catch(() => {})),
      );
      const killedAfterMs = minKill + rng.int(maxKill - minKill);
      await sleep(killedAfterMs);
      await runtime.kill();
      stop.abort();
      await Promise.all(work);
      runtime = await startRuntime(options.stateDir);
      const read = await firstRead(runtime, ledgers[0]?.id ?? "");
      const failures: string[] = [];
      for (const ledger of ledgers) failures.push(...(await check(runtime, ledger)));
      const sum = (k: 0 | 1 | 2) =>
        ledgers.reduce(
          (n, l, i) =>
            n +
            ([l.acked.size, l.tasksCreated.size, l.tasksCompleted.size][k] ?? 0) -
            (before[i]?.[k] ?? 0),
          0,
        );
      const result: CycleReport = {
        cycle,
        killedAfterMs,
        commits: sum(0),
        tasksCreated: sum(1),
        tasksCompleted: sum(2),
        restartToReadMs: Math.round(read - runtime.spawnedAt),
        readyToReadMs: Math.round(read - runtime.readyAt),
        failures,
      };
      report.cycles.push(result);
      report.failures.push(...failures.map((f) => `cycle ${cycle}: ${f}`));
      log(
        `cycle ${cycle}: killed after ${killedAfterMs} ms; acknowledged ${result.commits} commits, ` +
          `${result.tasksCreated} tasks created, ${result.tasksCompleted} completed; restart → first read ` +
          `${result.restartToReadMs} ms (ready → read ${result.readyToReadMs} ms); ` +
          (failures.length === 0
            ? "all checks hold"
            : `${failures.length} FAILURES: ${failures.slice(0, 3).join("; ")}`),
      );
    }
  } finally {
    await runtime.kill();
  }
  return report;
}

function headersOf(runtime: Runtime, type = "application/json"): Record<string, string> {
  return { authorization: `Bearer ${runtime.token}`, "content-type": type };
}

async function post(runtime: Runtime, path: string, body: unknown, signal?: AbortSignal) {
  const response = await fetch(`${runtime.url}${path}`, {
    method: "POST",
    headers: headersOf(runtime),
    body: JSON.stringify(body),
    ...(signal === undefined ? {} : { signal }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function setUp(runtime: Runtime, index: number): Promise<Ledger> {
  const created = await post(runtime, "/api/workflows", {
    name: `chaos ${index}`,
    initialState: { data: { n: 0 } },
  });
  const id = (created.body.workflow as { id: string }).id;
  const agent = await post(runtime, "/api/agents", {
    name: `chaos-${index}`,
    type: "worker",
    capabilities: [],
    workflowIds: [id],
  });
  const agentId = (agent.body.agent as { id: string }).id;
  return {
    id,
    agentId,
    acked: new Map(),
    tasksCreated: new Set(),
    tasksCompleted: new Set(),
    seen: [1],
  };
}

/** Patches `/data/n` without a base, as fast as answers come, recording each acknowledgement. */
async function committer(runtime: Runtime, ledger: Ledger, signal: AbortSignal): Promise<void> {
  for (let n = 0; !signal.aborted; n++) {
    const response = await fetch(`${runtime.url}/api/workflows/${ledger.id}/state`, {
      method: "PATCH",
      headers: {
        ...headersOf(runtime, "application/json-patch+json"),
        "idempotency-key": crypto.randomUUID(),
      },
      body: JSON.stringify([{ op: "replace", path: "/data/n", value: n }]),
      signal,
    });
    const body = (await response.json()) as { version?: { version: number; checksum: string } };
    if (response.status !== 201 || body.version === undefined)
      throw new Error(`commit answered ${response.status}`);
    ledger.acked.set(body.version.version, body.version.checksum);
  }
}

/** Creates a task, claims it as the workflow's agent and completes it, over and over. */
async function tasker(runtime: Runtime, ledger: Ledger, signal: AbortSignal): Promise<void> {
  const at = `/api/workflows/${ledger.id}/tasks`;
  while (!signal.aborted) {
    const created = await post(runtime, at, { type: "chaos", priority: "critical" }, signal);
    if (created.status !== 201) throw new Error(`createTask answered ${created.status}`);
    ledger.tasksCreated.add((created.body.task as { id: string }).id);
    const claimed = await post(runtime, `${at}/claim`, { agentId: ledger.agentId, max: 1 }, signal);
    const claims = (claimed.body.claims ?? []) as Array<{
      task: { id: string };
      lease: { id: string };
    }>;
    for (const claim of claims) {
      const done = await post(
        runtime,
        `${at}/${claim.task.id}/complete`,
        { leaseId: claim.lease.id },
        signal,
      );
      if (done.status === 200) ledger.tasksCompleted.add(claim.task.id);
    }
  }
}

/** Follows the workflow's change stream from the last version it saw. */
async function subscriber(runtime: Runtime, ledger: Ledger, signal: AbortSignal): Promise<void> {
  await follow(runtime, ledger, signal, () => false);
}

async function follow(
  runtime: Runtime,
  ledger: Ledger,
  signal: AbortSignal,
  done: () => boolean,
): Promise<void> {
  const since = ledger.seen.at(-1) ?? 1;
  const response = await fetch(`${runtime.url}/api/workflows/${ledger.id}/events?since=${since}`, {
    headers: { authorization: `Bearer ${runtime.token}` },
    signal,
  });
  if (response.status !== 200 || response.body === null)
    throw new Error(`events answered ${response.status}`);
  const parser = new SseParser();
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  try {
    while (!done()) {
      const { done: ended, value } = await reader.read();
      if (ended) return;
      for (const message of parser.feed(decoder.decode(value, { stream: true }))) {
        if (message.event === "version")
          ledger.seen.push((JSON.parse(message.data) as { version: number }).version);
        if (message.event === "resume") return;
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** @returns when the first read of the workflow's state succeeded (`performance.now()`) */
async function firstRead(runtime: Runtime, workflowId: string): Promise<number> {
  for (;;) {
    const response = await fetch(`${runtime.url}/api/workflows/${workflowId}/state`, {
      headers: { authorization: `Bearer ${runtime.token}` },
    }).catch(() => undefined);
    if (response?.status === 200) {
      await response.text();
      return performance.now();
    }
    await response?.text();
    await sleep(5);
  }
}

/** Every promise the crash suite checks, for one workflow after a restart. */
async function check(runtime: Runtime, ledger: Ledger): Promise<string[]> {
  const failures: string[] = [];
  const get = async (path: string) => {
    const response = await fetch(`${runtime.url}/api/workflows/${ledger.id}${path}`, {
      headers: { authorization: `Bearer ${runtime.token}` },
    });
    return (await response.json()) as Record<string, unknown>;
  };
  // Acknowledged commits: present with the same version and checksum; versions contiguous.
  const versions = new Map<number, string>();
  for (let cursor: number | null = null; ; ) {
    const page = await get(`/history?limit=1000${cursor === null ? "" : `&cursor=${cursor}`}`);
    for (const v of page.versions as Array<{ version: number; checksum: string }>)
      versions.set(v.version, v.checksum);
    cursor = page.nextCursor as number | null;
    if (cursor === null) break;
  }
  const head = Math.max(...versions.keys());
  for (let v = 1; v <= head; v++)
    if (!versions.has(v)) failures.push(`${ledger.id}: version ${v} missing below head ${head}`);
  for (const [version, checksum] of ledger.acked) {
    const stored = versions.get(version);
    if (stored !== checksum)
      failures.push(
        `${ledger.id}: acknowledged v${version} ${stored === undefined ? "lost" : "has another checksum"}`,
      );
  }
  // Every version rebuilds to its checksum: nothing half-written.
  const integrity = await get("/integrity");
  if (integrity.ok !== true)
    failures.push(`${ledger.id}: integrity ${JSON.stringify(integrity.problems).slice(0, 200)}`);
  // Tasks: every acknowledged creation is there, every acknowledged completion completed.
  const state = (await get("/state")).state as { tasks: Record<string, { status: string }> };
  for (const id of ledger.tasksCreated)
    if (state.tasks[id] === undefined) failures.push(`${ledger.id}: task ${id} lost`);
  for (const id of ledger.tasksCompleted) {
    const status = state.tasks[id]?.status;
    if (status !== "completed") failures.push(`${ledger.id}: completed task ${id} is ${status}`);
  }
  // A version streamed before the kill must have been durable: it cannot be gone after it.
  const ghosts = ledger.seen.filter((v) => v > head);
  if (ghosts.length > 0) {
    failures.push(
      `${STREAMED_THEN_LOST} ${ledger.id}: the subscriber received v${ghosts.join(", v")}, ` +
        `which the restarted stack does not have (head ${head})`,
    );
    ledger.seen = ledger.seen.filter((v) => v <= head);
  }
  // The subscriber resumes and gets every version once, in order.
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), 15_000);
  await follow(runtime, ledger, stop.signal, () => (ledger.seen.at(-1) ?? 0) >= head).catch(
    () => {},
  );
  clearTimeout(timer);
  // The restarted stack may commit on its own meanwhile (a lease that ran out while it was
  // down), so the stream can pass `head`: what it saw must then exist now.
  const last = ledger.seen.at(-1) ?? 0;
  const now = last > head ? await latest(get) : head;
  const contiguous = ledger.seen.every((v, i) => v === i + 1);
  if (!contiguous || last < head || last > now) {
    const dupes = ledger.seen.length - new Set(ledger.seen).size;
    failures.push(
      `${ledger.id}: the subscriber saw ${ledger.seen.length} versions (${dupes} repeated, ` +
        `last v${last}) for head ${head} (now ${now})`,
    );
  }
  return failures;
}

/** @returns the newest version in the workflow's history now */
async function latest(get: (path: string) => Promise<Record<string, unknown>>): Promise<number> {
  const page = await get("/history?limit=1");
  const [newest] = page.versions as Array<{ version: number }>;
  return newest?.version ?? 0;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * @param report a run's report
 * @returns its summary for a terminal: the seed, the cycles, recovery times, failures
 */
export function describeChaos(report: ChaosReport): string {
  const times = report.cycles.map((c) => c.restartToReadMs).sort((a, b) => a - b);
  const recovery = report.cycles.map((c) => c.readyToReadMs).sort((a, b) => a - b);
  const total = (k: "commits" | "tasksCreated" | "tasksCompleted") =>
    report.cycles.reduce((n, c) => n + c[k], 0);
  return [
    `chaos seed ${report.seed} (replay with CHAOS_SEED=${report.seed}): ${report.cycles.length} kill cycles`,
    `acknowledged: ${total("commits")} commits, ${total("tasksCreated")} tasks created, ${total("tasksCompleted")} completed`,
    `restart (spawn) → first successful read: median ${times[Math.floor(times.length / 2)]} ms, max ${times.at(-1)} ms`,
    `runtime ready → first successful read: median ${recovery[Math.floor(recovery.length / 2)]} ms, max ${recovery.at(-1)} ms`,
    report.failures.length === 0
      ? "every check held after every cycle"
      : `FAILURES:\n  ${report.failures.join("\n  ")}`,
  ].join("\n");
}

// `npm run sustained`: 1,000 workflows × 10 agents for 60 s on one machine (issue 18). Every
// agent is a closed loop of one request at a time over the HTTP/1.1 keep-alive pool; each turn
// it reads its workflow's state, or patches it (with an Idempotency-Key), or runs a task through
// (create, claim as itself, complete). Reported: throughput, p50/p99 per operation, errors (must
// be 0), updates per minute (must reach SUSTAINED_UPDATES_PER_MINUTE, 10,000), and workerd's
// resident memory per workflow. It exits 1 when either promise is broken.
// SUSTAINED_WORKFLOWS (1000), SUSTAINED_AGENTS (10 per workflow), SUSTAINED_SECONDS (60),
// SUSTAINED_CONNECTIONS (64: requests in flight at once; the agents share them).
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { quantile } from "@chorus/core/bench/stats";
import { startStack } from "@chorus/devstack";
import { cpuBetween, sampleCpu } from "./cpu-usage.ts";
import { workerdRss } from "./workerd-memory.ts";

const WORKFLOWS = Number(process.env.SUSTAINED_WORKFLOWS ?? 1000);
const AGENTS = Number(process.env.SUSTAINED_AGENTS ?? 10);
const SECONDS = Number(process.env.SUSTAINED_SECONDS ?? 60);
// The seed's promise: 10,000+ updates (patches and task operations) per minute.
const UPDATES_TARGET = Number(process.env.SUSTAINED_UPDATES_PER_MINUTE ?? 10_000);
const CONNECTIONS = Number(process.env.SUSTAINED_CONNECTIONS ?? 64);
// Node's fetch keeps connections alive; CONNECTIONS loops, so at most that many are open.

const dir = await mkdtemp(join(tmpdir(), "chorus-sustained-"));
const stack = await startStack({ port: 0, persist: dir, workerOutput: "ignore" });
const auth = { authorization: `Bearer ${stack.token}` };
const json = { ...auth, "content-type": "application/json" };

// Requests lost with a reused keep-alive connection (the server closed it as the request went
// out): resent, with the same Idempotency-Key, up to twice more, as @chorus/client does; counted
// apart so that they are seen, not hidden.
let resent = 0;

async function call(method: string, path: string, body?: unknown, type = "application/json") {
  const key = crypto.randomUUID();
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await fetch(`${stack.url}${path}`, {
        method,
        headers: { ...json, "content-type": type, "idempotency-key": key },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>),
      };
    } catch (error) {
      if (attempt >= 2) throw error;
      resent++;
    }
  }
}

async function inBatches<T>(count: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < count; i += CONNECTIONS) {
    out.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(CONNECTIONS, count - i) }, (_, j) => make(i + j)),
      )),
    );
  }
  return out;
}

try {
  const memoryEmpty = workerdRss();
  const started = performance.now();
  const workflows = await inBatches(WORKFLOWS, async (i) => {
    const created = await call("POST", "/api/workflows", {
      name: `sustained ${i}`,
      initialState: { data: { n: 0 } },
    });
    if (created.status !== 201) throw new Error(`create answered ${created.status}`);
    return (created.body.workflow as { id: string }).id;
  });
  const agents = await inBatches(WORKFLOWS * AGENTS, async (i) => {
    const workflowId = workflows[Math.floor(i / AGENTS)] ?? "";
    const registered = await call("POST", "/api/agents", {
      name: `a${i}`,
      type: "worker",
      capabilities: [],
      workflowIds: [workflowId],
      // These agents never heartbeat: the longest TTL keeps them online, as live agents are,
      // instead of measuring 10,000 offline transitions.
      ttlMs: 3_600_000,
    });
    if (registered.status !== 201) throw new Error(`agent answered ${registered.status}`);
    return { workflowId, agentId: (registered.body.agent as { id: string }).id, n: 0 };
  });
  console.log(
    `set up ${WORKFLOWS} workflows and ${agents.length} agents in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const latencies: Record<string, number[]> = {
    read: [],
    patch: [],
    "task create": [],
    "task claim": [],
    "task complete": [],
  };
  const errors: Record<string, number> = {};
  const timed = async (op: string, expected: number, run: () => ReturnType<typeof call>) => {
    const t0 = performance.now();
    const result = await run().catch((error: unknown) => ({
      status: 0,
      body: { error: String(error) },
    }));
    latencies[op]?.push(performance.now() - t0);
    if (result.status !== expected)
      errors[`${op} ${result.status}`] = (errors[`${op} ${result.status}`] ?? 0) + 1;
    return result;
  };
  const deadline = performance.now() + SECONDS * 1000;
  let next = 0;
  const loop = async () => {
    while (performance.now() < deadline) {
      const agent = agents[next++ % agents.length];
      if (agent === undefined) return;
      const at = `/api/workflows/${agent.workflowId}`;
      const roll = Math.random();
      if (roll < 0.5) await timed("read", 200, () => call("GET", `${at}/state`));
      else if (roll < 0.8) {
        await timed("patch", 201, () =>
          call(
            "PATCH",
            `${at}/state`,
            [{ op: "replace", path: "/data/n", value: agent.n++ }],
            "application/json-patch+json",
          ),
        );
      } else {
        const created = await timed("task create", 201, () =>
          call("POST", `${at}/tasks`, { type: "load" }),
        );
        if (created.status !== 201) continue;
        const claimed = await timed("task claim", 200, () =>
          call("POST", `${at}/tasks/claim`, { agentId: agent.agentId, max: 1 }),
        );
        const claims = ((claimed.body as { claims?: unknown }).claims ?? []) as Array<{
          task: { id: string };
          lease: { id: string };
        }>;
        for (const claim of claims) {
          await timed("task complete", 200, () =>
            call("POST", `${at}/tasks/${claim.task.id}/complete`, { leaseId: claim.lease.id }),
          );
        }
      }
    }
  };
  const t0 = performance.now();
  const cpuBefore = sampleCpu();
  await Promise.all(Array.from({ length: CONNECTIONS }, loop));
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = cpuBetween(cpuBefore, sampleCpu(), availableParallelism());
  const memory = workerdRss();
  const total = Object.values(latencies).reduce((n, l) => n + l.length, 0);
  const errorCount = Object.values(errors).reduce((n, c) => n + c, 0);
  const updates = total - (latencies.read?.length ?? 0);
  const updatesPerMinute = (updates / elapsed) * 60;
  const updatesMet = updatesPerMinute >= UPDATES_TARGET;
  const lines = [
    `## Sustained load: ${WORKFLOWS} workflows × ${AGENTS} agents, ${elapsed.toFixed(0)} s, ${CONNECTIONS} connections`,
    "",
    `${total} requests, ${(total / elapsed).toFixed(0)} req/s; errors: ${errorCount}${errorCount === 0 ? "" : ` ${JSON.stringify(errors)}`}; ` +
      `resent after a lost connection (set-up included): ${resent}`,
    `updates (patches and task operations) per minute: ${updatesPerMinute.toFixed(0)}; ` +
      `promised: ${UPDATES_TARGET}+, ${updatesMet ? "met" : "NOT met"}`,
    "",
    "| operation | count | per s | p50 ms | p99 ms |",
    "|---|---|---|---|---|",
    ...Object.entries(latencies).map(
      ([op, l]) =>
        `| ${op} | ${l.length} | ${(l.length / elapsed).toFixed(0)} | ${quantile(l, 0.5).toFixed(1)} | ${quantile(l, 0.99).toFixed(1)} |`,
    ),
    "",
    `workerd resident memory: ${(memoryEmpty / 2 ** 20).toFixed(0)} MiB empty, ${(memory / 2 ** 20).toFixed(0)} MiB after; ` +
      `${((memory - memoryEmpty) / WORKFLOWS / 1024).toFixed(0)} KiB per workflow`,
    "",
    cpu === undefined
      ? "cores: not measured (no /proc)"
      : `cores used meanwhile: ${cpu.ours.toFixed(2)} by this run, ${cpu.others.toFixed(2)} by other processes`,
  ];
  console.log(lines.join("\n"));
  process.exitCode = errorCount === 0 && updatesMet ? 0 : 1;
} finally {
  await stack.stop();
  await rm(dir, { recursive: true, force: true });
}

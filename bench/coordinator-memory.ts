/**
 * `npm run coordinator-memory`: the coordinator's own memory per workflow. Every worker shares
 * one workerd process, so its resident memory cannot say which worker holds what; this measures
 * the coordinator alone: its isolate's V8 heap (after a full GC, through the inspector) and the
 * size of its Durable Objects' SQLite databases (workflow and agent registry shards, as
 * `GET /metrics` reports them), whose pages are the most SQLite can cache for them. Both before
 * and after creating
 * `COORDMEM_WORKFLOWS` (500) workflows with `COORDMEM_AGENTS` (10) agents each, two tasks each
 * and one of them claimed, so every workflow has agents, a lease and a reported status.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startStack } from "@chorus/devstack";
import { connectInspector } from "./inspector.ts";
import { describeMachine } from "./machine.ts";
import { createTask, createWorkflow, pool, registerAgent } from "./task-client.ts";
import { workerdRss } from "./workerd-memory.ts";
import { freePort } from "./wrangler-dev.ts";

const WORKFLOWS = Number(process.env.COORDMEM_WORKFLOWS ?? 500);
const AGENTS = Number(process.env.COORDMEM_AGENTS ?? 10);
const SETUP = 16;
/** The seed's ceiling and the target for the coordinator's memory per workflow. */
const TARGET_KIB = 100;

const out = (text: string) => process.stdout.write(text);
const sleep = (wait: number) => new Promise((resolve) => setTimeout(resolve, wait));
const kib = (bytes: number) => (bytes / 1024).toFixed(1);

const inspectorPort = await freePort();
process.env.CHORUS_INSPECTOR_PORT = String(inspectorPort);
const persistDir = await mkdtemp(join(tmpdir(), "chorus-coordmem-"));
const stack = await startStack({ port: 0, persist: persistDir, workerOutput: "ignore" });
const gateway = { url: stack.url, token: stack.token };
try {
  out(`${new Date().toISOString()}\n${describeMachine()}\n\n`);
  // One workflow first, so every coordinator object and the isolate exist before the baseline.
  await seedWorkflows(1, 0);
  await sleep(2_000);
  const before = await measure();
  await seedWorkflows(WORKFLOWS, 1);
  await sleep(2_000);
  const after = await measure();

  const heap = (after.heap - before.heap) / WORKFLOWS;
  const sqlite = (after.sqlite - before.sqlite) / WORKFLOWS;
  const rss = (after.rss - before.rss) / WORKFLOWS;
  out(
    `### Coordinator memory per workflow (${WORKFLOWS} workflows × ${AGENTS} agents, 2 tasks, one claimed)\n\n`,
  );
  out("| | before | after | per workflow, KiB |\n| --- | ---: | ---: | ---: |\n");
  out(`| coordinator V8 heap, KiB | ${kib(before.heap)} | ${kib(after.heap)} | ${kib(heap)} |\n`);
  out(
    `| coordinator SQLite databases, KiB | ${kib(before.sqlite)} | ${kib(after.sqlite)} | ${kib(sqlite)} |\n`,
  );
  out(`| **coordinator, both** | | | **${kib(heap + sqlite)}** |\n`);
  out(
    `| workerd RSS, every worker (context) | ${kib(before.rss)} | ${kib(after.rss)} | ${kib(rss)} |\n\n`,
  );
  const met = heap + sqlite < TARGET_KIB * 1024;
  out(`target < ${TARGET_KIB} KiB per workflow: ${met ? "met" : "NOT met"}\n`);
  if (!met) process.exitCode = 1;
} finally {
  await stack.stop();
  await rm(persistDir, { recursive: true, force: true });
}

/** Creates workflows with their agents and two tasks each, and has one agent claim one task. */
async function seedWorkflows(count: number, first: number): Promise<void> {
  const ids = await pool(range(count), SETUP, (i) => createWorkflow(gateway, first + i));
  const agents = await pool(
    ids.flatMap((id) => range(AGENTS).map(() => id)),
    SETUP,
    (id) => registerAgent(gateway, id),
  );
  await pool([...ids, ...ids], SETUP, (id) => createTask(gateway, id));
  const claimers = ids.map((id) => agents.find((agent) => agent.workflowId === id));
  await pool(claimers, SETUP, async (agent) => {
    if (agent === undefined) throw new Error("a workflow without agents");
    const response = await fetch(`${gateway.url}/api/workflows/${agent.workflowId}/tasks/claim`, {
      method: "POST",
      headers: { authorization: `Bearer ${agent.token}`, "content-type": "application/json" },
      body: JSON.stringify({ agentId: agent.id }),
    });
    const body = (await response.json()) as { claims?: unknown[] };
    if (response.status !== 200 || body.claims?.length !== 1) {
      throw new Error(`claim: ${response.status} ${JSON.stringify(body)}`);
    }
  });
}

/** The coordinator's registries' database bytes, as `GET /metrics` reports them. */
async function coordinatorBytes(): Promise<number> {
  const response = await fetch(`${gateway.url}/metrics`, {
    headers: { authorization: `Bearer ${gateway.token}` },
  });
  const text = await response.text();
  let total = 0;
  for (const registry of ["workflows", "agents"]) {
    const line = new RegExp(
      `^chorus_coordinator_storage_bytes\\{registry="${registry}"\\} (\\d+)$`,
      "m",
    );
    const bytes = line.exec(text)?.[1];
    if (bytes === undefined) throw new Error(`GET /metrics: no ${registry} storage bytes\n${text}`);
    total += Number(bytes);
  }
  return total;
}

/** The coordinator's heap after a full GC, its objects' SQLite bytes, and workerd's RSS. */
async function measure(): Promise<{ heap: number; sqlite: number; rss: number }> {
  const session = await connectInspector(inspectorPort, "core:user:chorus-coordinator");
  try {
    await session.send("HeapProfiler.collectGarbage");
    const usage = (await session.send("Runtime.getHeapUsage")) as { usedSize: number };
    return { heap: usage.usedSize, sqlite: await coordinatorBytes(), rss: workerdRss() };
  } finally {
    session.close();
  }
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

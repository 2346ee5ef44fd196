/**
 * `npm run syncs`: how many fsyncs each request makes workerd do, how long they block and on
 * which thread, measured with `strace -T` on the running stack (Linux, strace on the PATH).
 *
 * Why: a lone commit costs more than the no-op by about what one durable SQLite transaction
 * costs. This shows that cost directly instead of inferring it from the ratios.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { quantile } from "@chorus/core/bench/stats";
import { startStack } from "@chorus/devstack";
import { measure } from "./load.ts";
import { EVICTION_MS } from "./maintenance.ts";
import { touchAll } from "./rounds.ts";
import { type Operation, requestFor, scenario } from "./scenarios.ts";
import { seed } from "./seed.ts";

const WORKFLOWS = Number(process.env.SYNCS_WORKFLOWS ?? 200);
const SECONDS = Number(process.env.SYNCS_SECONDS ?? 3);
const PERSIST = process.env.SYNCS_PERSIST ?? "disk";
const SYNC_CALLS = "fsync,fdatasync,sync_file_range";

const plan: Array<[Operation, number, number]> = [
  ["noop", 1, 1],
  ["read", 1, 1],
  ["commit", 1, 1],
  ["commit", WORKFLOWS, 1],
  ["commit", 1, 16],
  ["commit", WORKFLOWS, 16],
];

const persistDir = await mkdtemp(join(tmpdir(), "chorus-syncs-"));
// `memory` is Miniflare's throwaway store: still SQLite files, in a directory of its own.
const persist = PERSIST === "memory" ? false : persistDir;
const stack = await startStack({ port: 0, persist, workerOutput: "ignore", benchFloors: true });
try {
  // The seeded workflows' first maintenance alarms come 60 s after creation: the whole probe
  // (11 s, then about 6 × (1 + SECONDS + 1.5) s) is over before then.
  const seeded = await seed(stack.url, stack.token, WORKFLOWS);
  // Miniflare evicts an object 10 s after its last request, and closing its database syncs it:
  // let the seeded objects go now, then start them again, so no eviction lands in a row.
  await new Promise((resolve) => setTimeout(resolve, EVICTION_MS + 1_000));
  await touchAll({ url: stack.url, adminToken: stack.token, seed: seeded }, WORKFLOWS);
  const main = workerdPid();
  const rows: string[] = [];
  for (const [operation, workflows, connections] of plan) {
    const measured = scenario(operation, workflows, connections);
    const request = requestFor(measured, seeded, stack.token);
    await measure({ url: stack.url, request, scenario: measured, round: 0, duration: 1 });
    const trace = join(persistDir, `${measured.name.replaceAll(" ", "_")}.strace`);
    const tracer = spawn(
      "strace",
      ["-f", "-T", "--seccomp-bpf", "-e", `trace=${SYNC_CALLS}`, "-o", trace, "-p", String(main)],
      { stdio: "ignore" },
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const result = await measure({
      url: stack.url,
      request,
      scenario: measured,
      round: 0,
      duration: SECONDS,
    });
    tracer.kill("SIGINT");
    await new Promise((resolve) => tracer.once("exit", resolve));
    const syncs = parseTrace(await readFile(trace, "utf8"));
    const requests = result.rps * SECONDS;
    const ms = syncs.map((sync) => sync.ms);
    const blocked = syncs.reduce((sum, sync) => sum + sync.ms, 0);
    const onMain = syncs.filter((sync) => sync.tid === main).length;
    rows.push(
      `| ${measured.name} | ${Math.round(result.rps)} | ${result.p50.toFixed(2)} | ` +
        `${(syncs.length / requests).toFixed(2)} | ${fixed(quantile(ms, 0.5))} | ` +
        `${fixed(quantile(ms, 0.99))} | ${(blocked / SECONDS / 10).toFixed(1)}% | ` +
        `${syncs.length === 0 ? "–" : `${onMain} of ${syncs.length}`} |`,
    );
  }
  process.stdout.write(
    `\nfsyncs under strace, ${PERSIST} store (strace slows every request: compare rows, not ` +
      `with bench runs)\n\n` +
      "| scenario | req/s | p50 ms | syncs per request | sync p50 ms | sync p99 ms | " +
      "time in syncs | on workerd's main thread |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n" +
      `${rows.join("\n")}\n`,
  );
} finally {
  await stack.stop();
  await rm(persistDir, { recursive: true, force: true });
}

/** The workerd this process started (Miniflare's child): its main thread runs every isolate. */
function workerdPid(): number {
  const pids = execFileSync("pgrep", ["-P", String(process.pid), "workerd"], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map(Number);
  const pid = pids.at(-1);
  if (pid === undefined || !Number.isInteger(pid)) throw new Error("no workerd process found");
  return pid;
}

/** One traced sync call: the thread that made it and how long it took. */
function parseTrace(text: string): Array<{ tid: number; ms: number }> {
  const calls: Array<{ tid: number; ms: number }> = [];
  for (const line of text.split("\n")) {
    const match = /^(\d+)\s+\w*sync\w*\(.*<([\d.]+)>$/.exec(line.trim());
    if (match !== null) calls.push({ tid: Number(match[1]), ms: Number(match[2]) * 1000 });
  }
  return calls;
}

function fixed(value: number): string {
  return Number.isNaN(value) ? "–" : value.toFixed(3);
}

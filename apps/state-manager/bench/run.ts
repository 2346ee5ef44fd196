/**
 * The state manager's benchmark: commits and reads of ~1 KB, ~100 KB and ~1 MB workflow states,
 * driven from Node through Miniflare, beside a no-op RPC round trip and a trivial SQLite insert
 * in the same run. Writes its tables into ../BENCHMARKS.md.
 *
 * Run: `pnpm bench` in apps/state-manager (about 2 minutes). `BENCH_SCALE=3` takes three times
 * as many samples and rounds; `BENCH_WRITERS` sets the concurrent writers (default 8);
 * `BENCH_ARCHIVE=1` adds the archive probe (about 70 s more).
 */
import { execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import { type ArchiveProbe, archiveProbe } from "./archive-probe.ts";
import { startHarness } from "./harness.ts";
import { interleavedLatency } from "./latency.ts";
import { profileSteps } from "./profile.ts";
import { RATE_OPS, renderReport, type SizeResult } from "./report.ts";
import { sqliteBytes, sqliteFiles, storageCost } from "./storage.ts";
import { rate } from "./throughput.ts";
import { BenchWorkflow, OPS } from "./workflow.ts";

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const WRITERS = Number(process.env.BENCH_WRITERS ?? 8);
const ROUNDS = 4;
const RATE_ROUNDS = Math.round(8 * SCALE);
const SETTLE_MS = 30;
/** Latency iterations per round, and how long each throughput block runs. */
const SIZES = [
  { label: "1 KB", tasks: 3, perRound: 60, rateMs: 150 },
  { label: "100 KB", tasks: 300, perRound: 60, rateMs: 250 },
  { label: "1 MB", tasks: 3000, perRound: 15, rateMs: 500 },
] as const;

const log = (message: string) => process.stderr.write(`${message}\n`);
const started = Date.now();
const loadBefore = os.loadavg();
log("bundling and starting workerd…");
const h = await startHarness();
const results: SizeResult[] = [];
let probe: ArchiveProbe | undefined;
try {
  for (const size of SIZES) {
    const wf = new BenchWorkflow(h, size.tasks);
    const filesBefore = new Set(await sqliteFiles(h.persistDir));
    await wf.setup();
    const dbFiles = (await sqliteFiles(h.persistDir)).filter((file) => !filesBefore.has(file));
    log(`${size.label}: ${wf.stateBytes} bytes; building history…`);
    while (wf.head < BenchWorkflow.historyNeeded()) await wf.time(wf.prepare("commitPatch"));
    const storage = await storageCost(wf);
    log(`${size.label}: interleaved latency…`);
    const latency = await interleavedLatency(wf, OPS, {
      warmup: 5,
      rounds: ROUNDS,
      perRound: Math.round(size.perRound * SCALE),
    });
    log(`${size.label}: throughput…`);
    const rates = new Map<string, number[]>();
    for (let round = 0; round < RATE_ROUNDS; round++) {
      const blocks = RATE_OPS.flatMap((op) => [1, WRITERS].map((writers) => ({ op, writers })));
      // Rotate the order each round, so no block always runs first or last.
      for (let b = 0; b < blocks.length; b++) {
        const { op, writers } = blocks[(b + round) % blocks.length] as (typeof blocks)[number];
        const key = `${op}×${writers}`;
        rates.set(key, [...(rates.get(key) ?? []), await rate(wf, op, writers, size.rateMs)]);
        // Let the last block's garbage be collected before the next one is timed.
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      }
    }
    const metrics = await wf.metrics();
    results.push({
      ...size,
      stateBytes: wf.stateBytes,
      latency,
      rates,
      storage,
      versionsCreated: metrics.versionsCreated,
      dbFiles,
      sqliteBytes: 0,
      profile: [],
    });
  }
  for (const result of results) {
    log(`${result.label}: profiling the commit steps in workerd…`);
    result.profile = await profileSteps(h, `bench-${result.tasks}`, 60 * SCALE);
  }
  if (process.env.BENCH_ARCHIVE === "1") {
    log("archive probe: waiting for the first maintenance alarm (about 70 s)…");
    probe = await archiveProbe(h);
  }
} finally {
  await h.dispose();
}
for (const result of results) {
  for (const file of result.dbFiles) result.sqliteBytes += await sqliteBytes(file);
}

const report = renderReport(results, probe, {
  date: new Date().toISOString().slice(0, 10),
  machine: `${os.cpus()[0]?.model ?? "unknown"} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, miniflare ${await miniflareVersion()}`,
  load: `load average ${loadBefore.map((n) => n.toFixed(1)).join(" / ")} at the start, ${os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(" / ")} at the end`,
  seconds: Math.round((Date.now() - started) / 1000),
  command: [
    ...["BENCH_SCALE", "BENCH_WRITERS", "BENCH_ARCHIVE"].flatMap((name) =>
      process.env[name] === undefined ? [] : [`${name}=${process.env[name]}`],
    ),
    "pnpm bench",
  ].join(" "),
  revision: revision(),
  scale: SCALE,
  writers: WRITERS,
  rounds: ROUNDS,
  rateRounds: RATE_ROUNDS,
});
process.stdout.write(report);
await writeResults(new URL("../BENCHMARKS.md", import.meta.url), report);

/** @returns the commit measured, marked when the state manager or core has local changes */
function revision(): string {
  const git = (...args: string[]) => execFileSync("git", args, { encoding: "utf8" }).trim();
  const dirty = git("status", "--porcelain", "--", "src", "../../packages/core/src") !== "";
  return `${git("rev-parse", "--short", "HEAD")}${dirty ? " + local changes" : ""}`;
}

async function miniflareVersion(): Promise<string> {
  const pkg = new URL("../node_modules/miniflare/package.json", import.meta.url);
  return (JSON.parse(await readFile(pkg, "utf8")) as { version: string }).version;
}

/** Replaces what lies between the result markers, keeping the hand-written analysis around it. */
async function writeResults(file: URL, report: string): Promise<void> {
  const [start, end] = ["<!-- bench:start -->", "<!-- bench:end -->"];
  const current = await readFile(file, "utf8").catch(
    () => `# State manager benchmarks\n\n${start}\n${end}\n`,
  );
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next =
    from < 0 || to < from
      ? `${current}\n${start}\n${report}${end}\n`
      : `${current.slice(0, from + start.length)}\n${report}${current.slice(to)}`;
  await writeFile(file, next);
  log(`results written to ${file.pathname}`);
}

import { quantile, type Spread, spread } from "@chorus/core/bench/stats";
import type { ArchiveProbe } from "./archive-probe.ts";
import type { LatencySamples } from "./latency.ts";
import type { ProfileStep } from "./profile.ts";
import type { StorageCost } from "./storage.ts";
import type { RateOp } from "./throughput.ts";
import type { OpName } from "./workflow.ts";

/** Everything measured for one state size. */
export interface SizeResult {
  label: string;
  tasks: number;
  /** how long each throughput block ran */
  rateMs: number;
  stateBytes: number;
  latency: LatencySamples;
  /** `${op}×${writers}` → operations per second, one per round */
  rates: Map<string, number[]>;
  storage: StorageCost;
  versionsCreated: number;
  dbFiles: string[];
  sqliteBytes: number;
  profile: ProfileStep[];
}

/** How the run went. */
export interface RunInfo {
  date: string;
  machine: string;
  load: string;
  seconds: number;
  scale: number;
  command: string;
  revision: string;
  writers: number;
  rounds: number;
  rateRounds: number;
}

/** The operations whose throughput a full run measures, in table order. */
export const RATE_OPS = [
  "noop",
  "insert",
  "source",
  "commitPatch",
  "commitState",
  "readHead",
] as const satisfies readonly RateOp[];

const LABELS: Record<OpName, string> = {
  http: "HTTP leg only (driver answers, no RPC)",
  noop: "**no-op RPC** (`noop`): the floor",
  insert: "trivial SQLite insert (bench DO)",
  sink: "whole state in, no work (bench DO)",
  source: "whole state out as JSON text, no work (bench DO)",
  commitPatch: "commit small change as `patch`, base = head",
  commitState: "commit small change as whole `state`, base = head",
  readHead: "`getStateText` head",
  readHeld: "`getStateText` head, which the caller holds (`ifNoneMatch`): no text",
  readPath: "`getStateText` head at a path (one task)",
  readOld: "`getStateText` old version (20 patches past its keyframe, uncached)",
};

const num = (n: number) =>
  !Number.isFinite(n) ? "–" : n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
const ratio = (n: number) => `${num(n)}×`;
const range = (s: Spread) => `${ratio(s.median)} (${num(s.min)}–${num(s.max)})`;
/** A latency ratio: over all samples pooled, then its range over the rounds. */
const pooled = (r: { pooled: number; rounds: Spread }) =>
  `${ratio(r.pooled)} (${num(r.rounds.min)}–${num(r.rounds.max)})`;
const all = (rounds: number[][] | undefined) => (rounds ?? []).flat();

/** The p50 or p99 of `op` over that of the no-op, per round and pooled. */
export function latencyRatio(
  r: SizeResult,
  op: OpName,
  q: number,
  base: OpName = "noop",
): { pooled: number; rounds: Spread } {
  const ops = r.latency.get(op) ?? [];
  const bases = r.latency.get(base) ?? [];
  const perRound = ops.map((samples, i) => quantile(samples, q) / quantile(bases[i] ?? [], q));
  return {
    pooled: quantile(all(ops), q) / quantile(all(bases), q),
    rounds: spread(perRound),
  };
}

/** Commit rate over the trivial-insert rate of the same round. */
export function rateRatio(r: SizeResult, op: string, writers: number): Spread {
  const inserts = r.rates.get(`insert×${writers}`) ?? [];
  return spread(
    (r.rates.get(`${op}×${writers}`) ?? []).map((v, i) => v / (inserts[i] ?? Number.NaN)),
  );
}

function sizeSection(r: SizeResult, info: RunInfo): string[] {
  const lines = [
    `### ${r.label} state (${r.tasks.toLocaleString("en")} tasks, ${r.stateBytes.toLocaleString("en")} bytes)`,
    "",
    `Latency from Node, ${all(r.latency.get("noop")).length} samples each, interleaved; p50 and p99 interpolated between the two nearest ranks; ratios are over the no-op of the same run, all samples pooled (in brackets: the lowest and highest of the ${info.rounds} rounds).`,
    "",
    "| operation | p50 ms | p99 ms | p50 ÷ no-op | p99 ÷ no-op |",
    "| --- | ---: | ---: | ---: | ---: |",
  ];
  for (const [op, rounds] of r.latency) {
    const samples = all(rounds);
    const p50 = latencyRatio(r, op, 0.5);
    const p99 = latencyRatio(r, op, 0.99);
    lines.push(
      `| ${LABELS[op]} | ${num(quantile(samples, 0.5))} | ${num(quantile(samples, 0.99))} | ${pooled(p50)} | ${pooled(p99)} |`,
    );
  }
  const old50 =
    quantile(all(r.latency.get("readOld")), 0.5) / quantile(all(r.latency.get("readHead")), 0.5);
  const old99 =
    quantile(all(r.latency.get("readOld")), 0.99) / quantile(all(r.latency.get("readHead")), 0.99);
  lines.push(
    "",
    `An old version costs ${ratio(old50)} a head read at p50 and ${ratio(old99)} at p99.`,
    "",
    `Throughput: each block runs ${r.rateMs} ms inside workerd (the driver calls the bindings back to back) and is timed from Node; ${info.rateRounds} rounds of all ${2 * RATE_OPS.length} blocks (each operation with 1 writer and with ${info.writers}) in rotating order; median rate, and the ratio to the trivial insert of the same round as median (min–max). A read's cost is its rate against the no-op's: the head read ${readRates(r, info, "readHead")}; the whole state out with no work ${readRates(r, info, "source")}.`,
    "",
    `| operation | 1 writer ops/s | ÷ insert | ${info.writers} writers ops/s | ÷ insert |`,
    "| --- | ---: | ---: | ---: | ---: |",
  );
  for (const op of RATE_OPS) {
    const one = spread(r.rates.get(`${op}×1`) ?? []);
    const many = spread(r.rates.get(`${op}×${info.writers}`) ?? []);
    lines.push(
      `| ${LABELS[op]} | ${num(one.median)} | ${range(rateRatio(r, op, 1))} | ${num(many.median)} | ${range(rateRatio(r, op, info.writers))} |`,
    );
  }
  const s = r.storage;
  lines.push(
    "",
    `Storage: ${num(s.perVersion)} bytes per small-change version (\`metrics()\` storedBytes over ${s.versions} versions, two keyframe cycles) against ${s.fullCopy.toLocaleString("en")} for a full copy: **${ratio(s.fullCopy / s.perVersion)} smaller**. The whole SQLite file (every table, index and free page) after ${r.versionsCreated} versions: ${(r.sqliteBytes / 1024).toFixed(0)} KiB, ${num(r.sqliteBytes / r.versionsCreated)} bytes per version (${ratio(s.fullCopy / (r.sqliteBytes / r.versionsCreated))} smaller than full copies). Keyframes are stored gzipped (about ${s.gzippedCopy.toLocaleString("en")} bytes instead of ${s.fullCopy.toLocaleString("en")}), about ${num(((2 * s.gzippedCopy) / (s.versions * s.perVersion)) * 100)}% of the stored bytes.`,
    "",
    "Where a commit's time goes: each step on this state, run alone in workerd (bench DO, timed from Node, median of five; ms per call):",
    "",
    "| step | where | ms |",
    "| --- | --- | ---: |",
    ...r.profile.map((p) => `| ${p.step} | ${p.where} | ${num(p.ms)} |`),
    "",
  );
  return lines;
}

/** How many no-ops run in the time of one read, inside workerd: the read's cost ratio. */
function readCost(r: SizeResult, writers: number, op: "readHead" | "source"): Spread {
  const noop = r.rates.get(`noop×${writers}`) ?? [];
  const read = r.rates.get(`${op}×${writers}`) ?? [];
  return spread(read.map((rate, round) => (noop[round] ?? 0) / rate));
}

function readRates(r: SizeResult, info: RunInfo, op: "readHead" | "source"): string {
  return [1, info.writers]
    .map((writers) => `${range(readCost(r, writers, op))} with ${writers} in flight`)
    .join(", ");
}

function targets(results: SizeResult[], info: RunInfo): string[] {
  const kb100 = results.find((r) => r.label === "100 KB");
  const kb1 = results.find((r) => r.label === "1 KB");
  const lines = [
    "Latency ratios: all samples pooled (lowest–highest round in brackets). Throughput ratios: median of the rounds (lowest–highest). Rows in brackets are not targets, shown for comparison.",
    "",
    "| target | measured | |",
    "| --- | --- | --- |",
  ];
  const row = (name: string, value: number, shown: string, goal: number, atMost: boolean) => {
    const met = atMost ? value <= goal : value >= goal;
    const miss = atMost ? `${num(value / goal)}× over` : `${num(goal / value)}× short`;
    lines.push(`| ${name} | ${shown} | ${met ? "met" : `**not met** (${miss})`} |`);
  };
  const latency = (
    name: string,
    r: SizeResult,
    op: OpName,
    q: number,
    goal: number,
    base: OpName = "noop",
  ) => {
    const measured = latencyRatio(r, op, q, base);
    row(name, measured.pooled, pooled(measured), goal, true);
  };
  const rates = (name: string, r: SizeResult, goal: number) => {
    const measured = rateRatio(r, "commitPatch", info.writers);
    row(name, measured.median, range(measured), goal, false);
  };
  if (kb100 !== undefined) {
    latency("commit, 100 KB, `patch`: p50 ≤ 3× no-op p50", kb100, "commitPatch", 0.5, 3);
    latency("commit, 100 KB, `patch`: p99 ≤ 2× no-op p99", kb100, "commitPatch", 0.99, 2);
    latency("(commit, 100 KB, whole `state`: p50 ≤ 3×)", kb100, "commitState", 0.5, 3);
    latency("(commit, 100 KB, whole `state`: p99 ≤ 2×)", kb100, "commitState", 0.99, 2);
    latency("read head, 100 KB: p50 ≤ 1.3× no-op (from Node)", kb100, "readHead", 0.5, 1.3);
    // Issue 19: a whole read against carrying the same bytes out of a worker that does no work.
    latency(
      "read head, 100 KB: p50 ≤ 1.15× the payload floor (from Node)",
      kb100,
      "readHead",
      0.5,
      1.15,
      "source",
    );
    const inWorkerd = readCost(kb100, 1, "readHead");
    row(
      "read head, 100 KB: ≤ 1.3× no-op (in workerd, by rate)",
      inWorkerd.median,
      range(inWorkerd),
      1.3,
      true,
    );
    latency(
      "(100 KB out of a worker, no work, from Node: any whole read's floor)",
      kb100,
      "source",
      0.5,
      1.3,
    );
    const floorInWorkerd = readCost(kb100, 1, "source");
    row(
      "(the same floor in workerd, by rate)",
      floorInWorkerd.median,
      range(floorInWorkerd),
      1.3,
      true,
    );
    latency(
      "(read head the caller holds, `ifNoneMatch`, 100 KB: p50 ≤ 1.3×)",
      kb100,
      "readHeld",
      0.5,
      1.3,
    );
    latency("(read one task at a path, 100 KB: p50 ≤ 1.3×)", kb100, "readPath", 0.5, 1.3);
    latency("read old version, 100 KB: p50 ≤ 1.3× no-op", kb100, "readOld", 0.5, 1.3);
  }
  if (kb1 !== undefined) {
    rates(`commits/s, 1 KB, \`patch\`, ${info.writers} writers: ≥ 80% of insert`, kb1, 0.8);
  }
  if (kb100 !== undefined) {
    rates(`commits/s, 100 KB, \`patch\`, ${info.writers} writers: ≥ 50% of insert`, kb100, 0.5);
    const bytes = kb100.storage.fullCopy / kb100.storage.perVersion;
    row(
      "bytes per version, 100 KB: ≥ 50× smaller than a full copy",
      bytes,
      ratio(bytes),
      50,
      false,
    );
  }
  return lines;
}

function probeSection(p: ArchiveProbe): string[] {
  return [
    "### Archive probe (`BENCH_ARCHIVE=1`)",
    "",
    `A 100 KB workflow with the default archive policy and ${p.versionsBefore}+ versions; its first maintenance alarm archived ${p.versionsArchived} versions while a commit and a no-op ran back to back.`,
    "",
    "| | p50 before the alarm, ms | slowest while it ran, ms | slowest ÷ p50 |",
    "| --- | ---: | ---: | ---: |",
    `| commit (\`patch\`) | ${num(p.commitP50)} | ${num(p.commitMax)} | ${ratio(p.commitMax / p.commitP50)} |`,
    `| no-op | ${num(p.noopP50)} | ${num(p.noopMax)} | ${ratio(p.noopMax / p.noopP50)} |`,
    "",
  ];
}

/**
 * @param results every size's measurements
 * @param probe the archive probe's findings, when it ran
 * @param info how the run went
 * @returns the Markdown that goes between the markers in BENCHMARKS.md
 */
export function renderReport(
  results: SizeResult[],
  probe: ArchiveProbe | undefined,
  info: RunInfo,
): string {
  return [
    `Command: \`${info.command}\` in apps/state-manager (${info.writers} concurrent writers). Date: ${info.date}, at ${info.revision}. The run took ${info.seconds} s.`,
    `Machine: ${info.machine}; ${info.load}. Shared with other work: read the ratios, not the milliseconds.`,
    "",
    "## Targets (issue 4)",
    "",
    ...targets(results, info),
    "",
    "## Results",
    "",
    ...results.flatMap((r) => sizeSection(r, info)),
    ...(probe === undefined ? [] : probeSection(probe)),
  ].join("\n");
}

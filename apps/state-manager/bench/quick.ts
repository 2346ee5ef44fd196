/**
 * A one-minute check of the issue's ratios while changing the commit or read path: 1 KB and
 * 100 KB states, latency of commits and reads beside the no-op, and commit rates beside the
 * trivial insert. Prints a table; writes nothing. The full run (`pnpm bench`) is what
 * BENCHMARKS.md records.
 *
 * Run: `pnpm bench:quick` in apps/state-manager. `BENCH_SCALE=2` doubles samples and rounds.
 */

import { median, quantile } from "@chorus/core/bench/stats";
import { startHarness } from "./harness.ts";
import { interleavedLatency } from "./latency.ts";
import { type RateOp, rate } from "./throughput.ts";
import { BenchWorkflow, type OpName } from "./workflow.ts";

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const SIZES = [
  { label: "1 KB", tasks: 3 },
  { label: "100 KB", tasks: 300 },
] as const;
const LATENCY_OPS: OpName[] = [
  "noop",
  "insert",
  "source",
  "commitPatch",
  "readHead",
  "readHeld",
  "readPath",
  "readOld",
];
const RATE_OPS: RateOp[] = ["noop", "insert", "commitPatch", "readHead"];

const h = await startHarness();
try {
  for (const size of SIZES) {
    const wf = new BenchWorkflow(h, size.tasks, `quick-${size.tasks}`);
    await wf.setup();
    while (wf.head < BenchWorkflow.historyNeeded()) await wf.time(wf.prepare("commitPatch"));
    const latency = await interleavedLatency(wf, LATENCY_OPS, {
      warmup: 5,
      rounds: 1,
      perRound: Math.round(80 * SCALE),
    });
    const pooled = (op: OpName) => (latency.get(op) ?? []).flat();
    const noop = pooled("noop");
    const lines = [`${size.label} (${wf.stateBytes} bytes)`];
    for (const op of LATENCY_OPS) {
      const samples = pooled(op);
      lines.push(
        `  ${op.padEnd(12)} p50 ${median(samples).toFixed(2).padStart(6)} ms  ` +
          `÷ no-op p50 ${(median(samples) / median(noop)).toFixed(2)}×  ` +
          `p99 ÷ no-op p99 ${(quantile(samples, 0.99) / quantile(noop, 0.99)).toFixed(2)}×`,
      );
    }
    const rates = new Map<string, number[]>();
    for (let round = 0; round < Math.round(6 * SCALE); round++) {
      for (const writers of [1, 8]) {
        for (const op of round % 2 === 0 ? RATE_OPS : [...RATE_OPS].reverse()) {
          const key = `${op}×${writers}`;
          rates.set(key, [...(rates.get(key) ?? []), await rate(wf, op, writers, 200)]);
        }
      }
    }
    const perRound = (a: string, b: string) =>
      (rates.get(a) ?? []).map((value, i) => value / (rates.get(b)?.[i] ?? Number.NaN));
    const show = (label: string, list: number[]) =>
      lines.push(
        `  ${label}: median ${median(list).toFixed(2)}× ` +
          `(${Math.min(...list).toFixed(2)}–${Math.max(...list).toFixed(2)})`,
      );
    for (const writers of [1, 8]) {
      show(
        `commits/s ÷ insert/s, ${writers} writer(s)`,
        perRound(`commitPatch×${writers}`, `insert×${writers}`),
      );
      show(
        `no-op/s ÷ head reads/s, ${writers} in flight`,
        perRound(`noop×${writers}`, `readHead×${writers}`),
      );
    }
    lines.push(
      `  median ops/s: ${[...rates]
        .map(([key, list]) => `${key} ${median(list).toFixed(0)}`)
        .join(", ")}`,
    );
    process.stdout.write(`${lines.join("\n")}\n`);
  }
} finally {
  await h.dispose();
}

import { type Spread, spread } from "@chorus/core/bench/stats";
import type { Measurement } from "./load.ts";
import { MAIN_OPERATIONS, type Operation, type Scenario, scenario } from "./scenarios.ts";

/** Everything measured against one target. */
export interface TargetRun {
  /** how it was served */
  label: string;
  /** how the workflows came to be there, and what was waited for */
  preparation: string;
  rounds: number;
  connections: number;
  workflows: number;
  scenarios: Scenario[];
  measurements: Measurement[];
}

/** The seed's goal: 10,000 updates a minute. */
const SEED_UPDATES_PER_MINUTE = 10_000;
/** The targets: a commit at most 2× the no-op, a read at most 1.3×. */
const TARGETS: Partial<Record<Operation, number>> = { read: 1.3, commit: 2, patch: 2 };

/**
 * The Markdown report of one target: every scenario, the ratios to the no-op of the same round
 * against the targets, commits per minute against the seed's goal, and the commit's stages.
 * @param run what was measured
 * @returns Markdown
 */
export function targetReport(run: TargetRun): string {
  const lines = [
    `${run.preparation}. ${run.rounds} round(s): medians, (min–max) over rounds.`,
    "",
    scenarioTable(run),
    "",
    ratioTable(run),
    "",
    writeFloorTable(run),
    "",
    throughputTable(run),
  ];
  const ladder = ladderTable(run);
  if (ladder !== undefined) lines.push("", ladder);
  return lines.join("\n");
}

function scenarioTable(run: TargetRun): string {
  const rows = run.scenarios.map((s) => {
    const ms = of(run, s);
    const unexpected = new Map<string, number>();
    for (const m of ms) {
      for (const [status, count] of Object.entries(m.unexpected)) {
        unexpected.set(status, (unexpected.get(status) ?? 0) + count);
      }
    }
    const other = [...unexpected].map(([status, count]) => `${count}× ${status}`).join(", ");
    const errors = ms.reduce((sum, m) => sum + m.errors + m.timeouts, 0);
    const cpu = ms.flatMap((m) => (m.cpu === undefined ? [] : [m.cpu]));
    const retried = ms.reduce((sum, m) => sum + (m.attempts ?? 1) - 1, 0);
    return [
      s.name,
      range(spread(ms.map((m) => m.rps)), 0),
      range(spread(ms.map((m) => m.p50)), 2),
      range(spread(ms.map((m) => m.p99)), 1),
      String(ms.reduce((sum, m) => sum + m.ok, 0)),
      other || "0",
      String(errors),
      cpu.length === 0 ? "–" : fixed(spread(cpu.map((c) => c.ours)).median, 2),
      cpu.length === 0 ? "–" : range(spread(cpu.map((c) => c.others)), 2),
      String(retried),
    ];
  });
  return table(
    [
      "scenario",
      "req/s",
      "p50 ms",
      "p99 ms",
      "answered as expected",
      "other statuses",
      "socket errors",
      "cores: bench",
      "cores: others",
      "retried",
    ],
    rows,
  );
}

function loadsOf(run: TargetRun): Array<[workflows: number, connections: number]> {
  return [
    [1, run.connections],
    [run.workflows, run.connections],
    [1, 1],
  ];
}

function ratioTable(run: TargetRun): string {
  const rows: string[][] = [];
  for (const operation of MAIN_OPERATIONS.filter((op) => op !== "noop")) {
    for (const [workflows, connections] of loadsOf(run)) {
      const ratio = ratios(run, scenario(operation, workflows, connections));
      if (ratio === undefined) continue;
      const target = TARGETS[operation];
      rows.push([
        `${operation} ×${workflows} c${connections}`,
        range(ratio.latency, 2),
        range(ratio.throughput, 2),
        target === undefined ? "" : `≤ ${target}×`,
        target === undefined
          ? ""
          : `latency ${verdict(ratio.latency.median, target)}, throughput ${verdict(ratio.throughput.median, target)}`,
      ]);
    }
  }
  return table(
    [
      "vs the no-op at the same load",
      "p50 latency ratio",
      "throughput ratio (no-op req/s ÷ req/s)",
      "target",
      "verdict (medians)",
    ],
    rows,
  );
}

// No commit can cost less than the durable write it makes: a commit's cost over that floor is
// what versioning adds, and the floor over the no-op is what the runtime's write costs here.
function writeFloorTable(run: TargetRun): string {
  const rows: string[][] = [];
  for (const operation of ["commit", "patch"] as const) {
    for (const [workflows, connections] of loadsOf(run)) {
      const ratio = ratios(run, scenario(operation, workflows, connections), "noop-write");
      if (ratio === undefined) continue;
      rows.push([
        `${operation} ×${workflows} c${connections}`,
        range(ratio.latency, 2),
        range(ratio.throughput, 2),
      ]);
    }
  }
  return table(
    [
      "vs the write floor (`noop-write`) at the same load",
      "p50 latency ratio",
      "throughput ratio (floor req/s ÷ req/s)",
    ],
    rows,
  );
}

function throughputTable(run: TargetRun): string {
  const rows: string[][] = [];
  for (const operation of ["commit", "patch"] as const) {
    for (const workflows of [1, run.workflows]) {
      const ms = of(run, scenario(operation, workflows, run.connections));
      if (ms.length === 0) continue;
      const perMinute = spread(ms.map((m) => m.rps * 60));
      rows.push([
        `${operation} ×${workflows} c${run.connections}`,
        range(perMinute, 0),
        `${fixed(perMinute.median / SEED_UPDATES_PER_MINUTE, 1)}×`,
      ]);
    }
  }
  return table(["commits", "per minute", "over the seed's 10,000/min"], rows);
}

// Each rung adds one stage of a commit. workerd runs the three workers and every Durable Object
// on one thread, busy all the time under this load, so 1000 / (req/s) is that thread's time per
// request and the differences between rungs attribute a commit's cost to its stages.
function ladderTable(run: TargetRun): string | undefined {
  const c = run.connections;
  const rungs: Array<[Scenario, string]> = [
    [scenario("noop", 1, c, "admin"), "admin token: gateway → binding → state DO → constant"],
    [scenario("noop", 1, c), "writer token: + TokenStore DO lookup"],
    [scenario("refused-by-gateway", 1, c), "1 KB commit refused by the gateway (no state call)"],
    [scenario("refused-by-state-manager", 1, c), "refused by the state manager's validation"],
    [scenario("commit", 1, c), "the commit: + prepare, write, answer"],
  ];
  const rows: string[][] = [];
  let previous: number | undefined;
  for (const [rung, meaning] of rungs) {
    const ms = of(run, rung);
    if (ms.length === 0) return undefined;
    const cost = spread(ms.map((m) => 1000 / m.rps)).median;
    const delta =
      previous === undefined ? "" : `${cost >= previous ? "+" : ""}${fixed(cost - previous, 3)}`;
    rows.push([
      rung.name,
      meaning,
      fixed(spread(ms.map((m) => m.rps)).median, 0),
      fixed(cost, 3),
      delta,
    ]);
    previous = cost;
  }
  return table(
    ["rung", "what it adds", "req/s", "workerd ms/request (1000 ÷ req/s)", "Δ ms"],
    rows,
  );
}

function verdict(ratio: number, target: number): string {
  return ratio <= target ? "met" : `missed by ${fixed((ratio / target - 1) * 100, 0)}%`;
}

function ratios(run: TargetRun, subject: Scenario, floorOperation: Operation = "noop") {
  const floor = scenario(floorOperation, subject.workflows, subject.connections);
  const latency: number[] = [];
  const throughput: number[] = [];
  for (let round = 0; round < run.rounds; round++) {
    const a = of(run, subject).find((m) => m.round === round);
    const b = of(run, floor).find((m) => m.round === round);
    if (a === undefined || b === undefined) continue;
    latency.push(a.p50 / b.p50);
    throughput.push(b.rps / a.rps);
  }
  if (latency.length === 0) return undefined;
  return { latency: spread(latency), throughput: spread(throughput) };
}

function of(run: TargetRun, s: Scenario): Measurement[] {
  return run.measurements.filter((m) => m.scenario === s.name);
}

function range(s: Spread, digits: number): string {
  if (s.min === s.max) return fixed(s.median, digits);
  return `${fixed(s.median, digits)} (${fixed(s.min, digits)}–${fixed(s.max, digits)})`;
}

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "–";
}

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}

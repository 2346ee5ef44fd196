/**
 * `pnpm bench`: load against the whole local stack (gateway, coordinator, state manager), served
 * by Miniflare (the devstack's startStack) and then by `wrangler dev` on the same persisted
 * workflows: the no-op floor, 1 KB reads and 1 KB commits, on one workflow and spread over many,
 * in rounds, with every ratio taken within a round. Settings: config.ts (BENCH_* variables).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readConfig, type TargetName } from "./config.ts";
import { describeMachine } from "./machine.ts";
import { awaitFirstMaintenance } from "./maintenance.ts";
import { type TargetRun, targetReport } from "./report.ts";
import { type LoadTarget, runRounds, warmUp } from "./rounds.ts";
import { scenario, scenarioList } from "./scenarios.ts";
import { type Seed, seed } from "./seed.ts";
import { assertFloors, startTarget, type Target } from "./targets.ts";

/** Seconds of each warm-up run (no-op, read, commit) before the first round. */
const WARMUP_SECONDS = 2;

const config = readConfig(process.env);
const started = new Date();
let running: Target | undefined;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the stack…`);
    void (running?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

const machine = describeMachine();
console.log(`Chorus bench, ${started.toISOString()}\n${machine}\n`);
// One fresh directory: Miniflare creates the workflows in it, `wrangler dev` serves them again.
const persist = await mkdtemp(join(tmpdir(), "chorus-bench-"));
const runs = new Map<TargetName, TargetRun>();
try {
  let seeded: Seed | undefined;
  for (const name of config.targets) {
    const reuse = config.inMemory && name === "miniflare" ? undefined : seeded;
    const result = await benchTarget(name, reuse);
    runs.set(name, result.run);
    seeded = config.inMemory && name === "miniflare" ? undefined : result.seed;
  }
} finally {
  await rm(persist, { recursive: true, force: true });
}

const report = [
  `# Chorus bench ${started.toISOString()}`,
  "",
  machine,
  "",
  `\`${commandLine()}\`: ${config.duration} s per scenario, ${config.connections} ` +
    `connections unless \`c1\`, ${config.workflows} workflows for \`×${config.workflows}\`.`,
  ...[...runs].flatMap(([name, run]) => ["", `## ${name}: ${run.label}`, "", targetReport(run)]),
].join("\n");
console.log(`\n${report}`);
if (config.out !== undefined) {
  const json = { started, machine, config, runs: Object.fromEntries(runs) };
  await writeFile(`${config.out}.md`, `${report}\n`);
  await writeFile(`${config.out}.json`, `${JSON.stringify(json, null, 2)}\n`);
  console.log(`\nwrote ${config.out}.md and ${config.out}.json`);
}
process.exit(0);

async function benchTarget(
  name: TargetName,
  reuse: Seed | undefined,
): Promise<{ run: TargetRun; seed: Seed }> {
  const full = name === "miniflare" || config.wranglerFull;
  const scenarios = scenarioList({
    connections: config.connections,
    workflows: config.workflows,
    serial: full && config.serial,
    ladder: full && config.ladder,
    patch: config.patch,
  });
  const rounds = name === "wrangler" ? config.wranglerRounds : config.rounds;
  console.log(`${name}: starting…`);
  running = await startTarget(name, persist, config.inMemory);
  try {
    const { url, adminToken } = running;
    let preparation: string;
    let seedUsed = reuse;
    if (seedUsed === undefined) {
      const began = performance.now();
      seedUsed = await seed(url, adminToken, config.workflows);
      const seededAt = performance.now();
      const seconds = (seededAt - began) / 1000;
      console.log(`${name}: ${url}: ${config.workflows} workflows in ${seconds.toFixed(1)} s`);
      console.log(`${name}: waiting for the workflows' first maintenance alarms…`);
      const waited = await awaitFirstMaintenance(seededAt);
      preparation =
        `${config.workflows} workflows created in ${seconds.toFixed(1)} s; measured after their ` +
        `first maintenance alarms had run (${waited.toFixed(0)} s later)`;
    } else {
      console.log(`${name}: ${url}: serving the same ${config.workflows} workflows`);
      preparation = `the workflows and token created against Miniflare, served from the same directory`;
    }
    await assertFloors(running, seedUsed.workflowIds[0] ?? "");
    // After the wait, not before it: a minute idle leaves workerd slow for the first seconds.
    await warmUpAll({ url, adminToken, seed: seedUsed }, WARMUP_SECONDS);
    const target: LoadTarget = { url, adminToken, seed: seedUsed };
    const measurements = await runRounds(target, scenarios, rounds, config);
    const label =
      config.inMemory && name === "miniflare"
        ? `${running.label}, storage in memory`
        : running.label;
    return {
      seed: seedUsed,
      run: {
        label,
        preparation,
        rounds,
        connections: config.connections,
        workflows: config.workflows,
        scenarios,
        measurements,
      },
    };
  } finally {
    await running.stop();
    running = undefined;
  }
}

async function warmUpAll(target: LoadTarget, seconds: number): Promise<void> {
  for (const operation of ["noop", "noop-write", "read", "commit"] as const) {
    await warmUp(target, scenario(operation, config.workflows, config.connections), seconds);
  }
}

function commandLine(): string {
  const settings = Object.entries(process.env)
    .filter(([key]) => key.startsWith("BENCH_") && key !== "BENCH_OUT")
    .map(([key, value]) => `${key}=${value}`);
  return [...settings, "npm run bench"].join(" ");
}

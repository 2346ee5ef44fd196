import type { BenchConfig } from "./config.ts";
import { type Measurement, measure } from "./load.ts";
import { awaitEvictions } from "./maintenance.ts";
import { requestFor, type Scenario } from "./scenarios.ts";
import type { Seed } from "./seed.ts";

/** Where the load goes and with what. */
export interface LoadTarget {
  url: string;
  adminToken: string;
  seed: Seed;
}

/** At most this many repeats per target, so a machine busy for minutes does not double the run. */
const RETRY_CAP = 2;

/**
 * Runs every scenario once per round, starting each round at a different scenario, so a slow
 * stretch of the machine does not always land on the same one. A measurement taken while other
 * processes used more than `maxOthers` cores is repeated (up to `retries` times, and
 * {@link RETRY_CAP} times in all) and the quietest attempt is kept. A one-workflow scenario
 * after a spread one waits until the spread objects have been evicted (`awaitEvictions`).
 * @param target the stack and its seed
 * @param scenarios what to run
 * @param rounds how many times
 * @param config duration, contention threshold, retries
 * @returns one measurement per scenario and round
 */
export async function runRounds(
  target: LoadTarget,
  scenarios: readonly Scenario[],
  rounds: number,
  config: Pick<BenchConfig, "duration" | "maxOthers" | "retries">,
): Promise<Measurement[]> {
  const measurements: Measurement[] = [];
  const budget = { left: RETRY_CAP };
  // When the last scenario over many workflows ended, until the evictions it causes are over.
  let spreadEndedAt: number | undefined;
  for (let round = 0; round < rounds; round++) {
    const offset = (round * Math.ceil(scenarios.length / rounds)) % scenarios.length;
    const order = [...scenarios.slice(offset), ...scenarios.slice(0, offset)];
    for (const scenario of order) {
      if (scenario.workflows > 1) await touchAll(target, scenario.workflows);
      else if (spreadEndedAt !== undefined) {
        const waited = await awaitEvictions(spreadEndedAt, () => touchAll(target, 1));
        console.log(`  (waited ${waited.toFixed(0)} s for the spread objects' evictions)`);
        spreadEndedAt = undefined;
      }
      const m = await measureQuietly(target, scenario, round, config, budget);
      measurements.push(m);
      if (scenario.workflows > 1) spreadEndedAt = performance.now();
      console.log(`  r${round} ${describe(m)}`);
    }
  }
  return measurements;
}

/**
 * Runs one scenario for a short unrecorded while: JIT, caches and connections warm up.
 * @param target the stack and its seed
 * @param scenario what to run
 * @param seconds how long
 */
export async function warmUp(
  target: LoadTarget,
  scenario: Scenario,
  seconds: number,
): Promise<void> {
  const request = requestFor(scenario, target.seed, target.adminToken);
  await measure({ url: target.url, request, scenario, round: -1, duration: seconds });
}

/** Requests in flight while touching the workflows. */
const TOUCH_CONCURRENCY = 16;

/**
 * Reads the state of each of the first `count` workflows once, unrecorded. Miniflare evicts a
 * Durable Object after 10 s without a request, so after a stretch of one-workflow scenarios most
 * of the 1,000 objects are gone; without this, the next spread scenario would pay their
 * restarts (constructor, schema check, the head state rebuilt from SQLite) and the one after it
 * would not.
 * @param target the stack and its seed
 * @param count how many workflows
 */
export async function touchAll(target: LoadTarget, count: number): Promise<void> {
  const ids = target.seed.workflowIds.slice(0, count);
  const headers = { authorization: `Bearer ${target.seed.writerToken}` };
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < ids.length; index = next++) {
      const res = await fetch(`${target.url}/api/workflows/${ids[index]}/state`, { headers });
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: TOUCH_CONCURRENCY }, worker));
}

async function measureQuietly(
  target: LoadTarget,
  scenario: Scenario,
  round: number,
  config: Pick<BenchConfig, "duration" | "maxOthers" | "retries">,
  budget: { left: number },
): Promise<Measurement> {
  let kept: Measurement | undefined;
  for (let attempt = 0; attempt <= config.retries; attempt++) {
    const request = requestFor(scenario, target.seed, target.adminToken);
    const m = await measure({
      url: target.url,
      request,
      scenario,
      round,
      duration: config.duration,
    });
    if (kept === undefined || others(m) < others(kept)) kept = { ...m, attempts: attempt + 1 };
    if (others(m) <= config.maxOthers || attempt === config.retries || budget.left === 0) break;
    budget.left--;
    console.log(`  …  ${describe(m)}: other processes were busy; again`);
  }
  if (kept === undefined) throw new Error("unreachable: no attempt was made");
  return kept;
}

function others(m: Measurement): number {
  return m.cpu?.others ?? 0;
}

function describe(m: Measurement): string {
  const unexpected =
    Object.keys(m.unexpected).length === 0 ? "" : ` other ${JSON.stringify(m.unexpected)}`;
  const errors = m.errors + m.timeouts === 0 ? "" : ` socket errors ${m.errors + m.timeouts}`;
  const cpu =
    m.cpu === undefined
      ? ""
      : `  cores ours ${m.cpu.ours.toFixed(2)} others ${m.cpu.others.toFixed(2)}`;
  return (
    `${m.scenario.padEnd(34)} ${m.rps.toFixed(0).padStart(6)} req/s  p50 ${m.p50.toFixed(2)} ms` +
    `  p99 ${m.p99.toFixed(1)} ms${cpu}${unexpected}${errors}`
  );
}

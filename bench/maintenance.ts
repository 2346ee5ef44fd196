import { availableParallelism } from "node:os";
import { cpuBetween, sampleCpu } from "./cpu-usage.ts";

/**
 * How long after a workflow's first write the state manager runs its first maintenance alarm
 * (archive policy, idempotency pruning); `FIRST_MAINTENANCE_DELAY_MS` in
 * apps/state-manager/src/state-manager.ts. The next one is six hours later.
 */
export const FIRST_MAINTENANCE_DELAY_MS = 60_000;
const MARGIN_MS = 2_000;
const MAX_EXTRA_MS = 30_000;
/** Below this many cores used by the benchmark's processes, workerd counts as idle. */
const IDLE_CORES = 0.15;

/**
 * Waits until the first maintenance alarm of every seeded workflow has run: creating 1,000
 * workflows schedules 1,000 alarms a minute later, and measuring while they fire would charge
 * their work to whatever scenario is running. Waits until the last one is due, then until
 * workerd (a child of this process) has gone idle, at most 30 s more.
 * @param seededAt when the last workflow was created (`performance.now()`)
 * @returns the seconds waited
 */
export async function awaitFirstMaintenance(seededAt: number): Promise<number> {
  const start = performance.now();
  await idleAfter(seededAt + FIRST_MAINTENANCE_DELAY_MS + MARGIN_MS);
  return (performance.now() - start) / 1000;
}

/**
 * How long Miniflare keeps a Durable Object without requests before evicting it. Evicting one
 * closes its SQLite database, which syncs it on workerd's only thread (`npm run syncs`).
 */
export const EVICTION_MS = 10_000;

/**
 * Waits until the objects a spread scenario touched have been evicted: 1,000 of them going at
 * once stall the thread, in bursts, for whatever scenario runs 10–15 s later. Without this wait
 * that was the unloaded one-workflow scenarios, whose throughput then missed while their
 * latency percentiles did not.
 * @param spreadEndedAt when the last request to many workflows was made (`performance.now()`)
 * @param keepAlive a request to the one workflow the next scenarios use, made every 2 s while
 *   waiting: its object stays as warm as it was, instead of being evicted with the others and
 *   measured while it starts again
 * @returns the seconds waited
 */
export async function awaitEvictions(
  spreadEndedAt: number,
  keepAlive: () => Promise<void>,
): Promise<number> {
  const start = performance.now();
  let waiting = true;
  const touching = (async () => {
    while (waiting) {
      await keepAlive();
      await sleep(2_000);
    }
  })();
  try {
    await idleAfter(spreadEndedAt + EVICTION_MS + MARGIN_MS);
  } finally {
    waiting = false;
    await touching;
  }
  return (performance.now() - start) / 1000;
}

/** Sleeps until `due`, then until workerd (a child of this process) is idle, at most 30 s more. */
async function idleAfter(due: number): Promise<void> {
  await sleep(Math.max(0, due - performance.now()));
  const giveUp = performance.now() + MAX_EXTRA_MS;
  while (performance.now() < giveUp) {
    const before = sampleCpu();
    await sleep(1_000);
    const use = cpuBetween(before, sampleCpu(), availableParallelism());
    if (use === undefined || use.ours < IDLE_CORES) break;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

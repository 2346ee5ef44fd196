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
  const due = seededAt + FIRST_MAINTENANCE_DELAY_MS + MARGIN_MS;
  await sleep(Math.max(0, due - performance.now()));
  const giveUp = performance.now() + MAX_EXTRA_MS;
  while (performance.now() < giveUp) {
    const before = sampleCpu();
    await sleep(1_000);
    const use = cpuBetween(before, sampleCpu(), availableParallelism());
    if (use === undefined || use.ours < IDLE_CORES) break;
  }
  return (performance.now() - start) / 1000;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

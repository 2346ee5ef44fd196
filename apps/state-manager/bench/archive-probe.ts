import { quantile } from "@chorus/core/bench/stats";
import type { Harness } from "./harness.ts";
import { BenchWorkflow } from "./workflow.ts";

/** What the first archive run did to the requests around it. */
export interface ArchiveProbe {
  versionsBefore: number;
  versionsArchived: number;
  /** commit and no-op p50 before the alarm, in ms */
  commitP50: number;
  noopP50: number;
  /** the slowest commit and no-op while it ran, in ms */
  commitMax: number;
  noopMax: number;
}

/** The StateManager's first maintenance alarm comes this long after a workflow's first write. */
const FIRST_ALARM_MS = 60_000;
/** Versions before the alarm: few enough that one archive chunk's R2 metadata stays < 2 KB. */
const HISTORY = 250;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Opt-in (`BENCH_ARCHIVE=1`, about 70 s): a 100 KB workflow under the default archive policy
 * (keep 100 versions) gets a few hundred versions, then a commit and a no-op every 20 ms from
 * just before its first maintenance alarm until that alarm has archived the old versions.
 * @param h the harness
 * @returns the latencies before and during the archive run
 */
export async function archiveProbe(h: Harness): Promise<ArchiveProbe> {
  const wf = new BenchWorkflow(h, 300, "bench-archive-300");
  const created = performance.now();
  await wf.setup(true);
  while (wf.head < HISTORY) await wf.time(wf.prepare("commitPatch"));
  const before = { commit: [] as number[], noop: [] as number[] };
  const during = { commit: [] as number[], noop: [] as number[] };
  let versionsBefore = 0;
  let archived = 0;
  for (let i = 0; archived === 0 || i % 100 !== 0; i++) {
    const soon = performance.now() - created > FIRST_ALARM_MS - 3000;
    if (soon && versionsBefore === 0) versionsBefore = wf.head;
    const into = soon ? during : before;
    into.commit.push(await wf.time(wf.prepare("commitPatch")));
    into.noop.push(await wf.time(wf.prepare("noop")));
    await sleep(soon ? 20 : 500);
    if (soon && i % 10 === 0) archived = (await wf.metrics()).versionsArchived;
    if (performance.now() - created > 2 * FIRST_ALARM_MS) {
      throw new Error(
        "the archive alarm did not complete (R2's metadata limit once stopped it: e643067)",
      );
    }
  }
  return {
    versionsBefore,
    versionsArchived: archived,
    commitP50: quantile(before.commit, 0.5),
    noopP50: quantile(before.noop, 0.5),
    commitMax: Math.max(...during.commit),
    noopMax: Math.max(...during.noop),
  };
}

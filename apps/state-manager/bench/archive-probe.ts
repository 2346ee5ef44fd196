import type { Harness } from "./harness.ts";
import { quantile } from "./stats.ts";
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

const FIRST_ALARM_MS = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Opt-in (`BENCH_ARCHIVE=1`, about 70 s): a 100 KB workflow under the default archive policy
 * (keep 100 versions) gets 600 versions, then a commit and a no-op every few milliseconds until
 * the first maintenance alarm (60 s after the first write) has archived the rest.
 * @param h the harness
 * @returns the latencies before and during the archive run
 */
export async function archiveProbe(h: Harness): Promise<ArchiveProbe> {
  const wf = new BenchWorkflow(h, 300, "bench-archive-300");
  const created = performance.now();
  await wf.setup(true);
  while (wf.head < 600) await wf.time(wf.prepare("commitPatch"));
  const versionsBefore = wf.head;
  const before = { commit: [] as number[], noop: [] as number[] };
  const during = { commit: [] as number[], noop: [] as number[] };
  let archived = 0;
  for (let i = 0; archived === 0 || i % 50 !== 0; i++) {
    const soon = performance.now() - created > FIRST_ALARM_MS - 3000;
    const into = soon ? during : before;
    into.commit.push(await wf.time(wf.prepare("commitPatch")));
    into.noop.push(await wf.time(wf.prepare("noop")));
    if (!soon) await sleep(100);
    if (i % 10 === 0) archived = (await wf.metrics()).versionsArchived;
    if (i % 10 === 0)
      process.stderr.write(
        `${Math.round(performance.now() - created)} ms head ${wf.head} archived ${archived} last ${into.commit.at(-1)?.toFixed(1)}\n`,
      );
    if (performance.now() - created > 3 * FIRST_ALARM_MS) throw new Error("no archive run");
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

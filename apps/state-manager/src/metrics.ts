import type { Counter } from "./counters.ts";
import type { LatencyWindow } from "./latency.ts";
import type { WorkflowContext } from "./workflow-context.ts";

/** What `metrics()` reports for one workflow. */
export type WorkflowMetrics = Record<Counter, number> & {
  workflowId: string;
  versions: number;
  branches: number;
  openConflicts: number;
  snapshots: number;
  /**
   * The share of concurrent commits (a base older than the head) that were committed without
   * anyone's help: (merged cleanly + resolved by a strategy) ÷ concurrent; 1 when there were none.
   */
  autoResolutionRate: number;
  /** latencies measured inside the object: workerd's clock moves only on I/O, so they are coarse */
  retrieval: ReturnType<LatencyWindow["summary"]>;
  persistence: ReturnType<LatencyWindow["summary"]>;
};

/**
 * @param ctx the workflow
 * @param latency the object's read and write latency windows
 * @returns the workflow's counters and latencies
 */
export function collectMetrics(
  ctx: WorkflowContext,
  latency: { retrieval: LatencyWindow; persistence: LatencyWindow },
): WorkflowMetrics {
  const counters = ctx.counters.all();
  return {
    workflowId: ctx.workflowId(),
    versions: ctx.versions.latest(),
    branches: ctx.branches.count(),
    openConflicts: ctx.conflicts.list("open").length,
    snapshots: ctx.snapshots.versions().length,
    ...counters,
    autoResolutionRate: autoResolutionRate(counters),
    retrieval: latency.retrieval.summary(),
    persistence: latency.persistence.summary(),
  };
}

/**
 * @param counters a workflow's counters (or their sums over several workflows)
 * @returns (merged cleanly + resolved by a strategy) ÷ concurrent commits; 1 when there were none
 */
export function autoResolutionRate(
  counters: Pick<
    Record<Counter, number>,
    "concurrentCommits" | "concurrentMerged" | "concurrentResolved"
  >,
): number {
  if (counters.concurrentCommits === 0) return 1;
  return (counters.concurrentMerged + counters.concurrentResolved) / counters.concurrentCommits;
}

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
  /** auto-resolved ÷ detected conflicts; 1 when none were detected */
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
    autoResolutionRate:
      counters.conflictsDetected === 0
        ? 1
        : counters.conflictsAutoResolved / counters.conflictsDetected,
    retrieval: latency.retrieval.summary(),
    persistence: latency.persistence.summary(),
  };
}

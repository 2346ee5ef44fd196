import type { VersionRow } from "./version-store.ts";

/**
 * Writes one Analytics Engine data point per committed version, when a `METRICS` dataset is
 * bound: indexed by workflow, with the origin, author, state size, stored bytes and duration.
 * @param dataset the binding, or `undefined` when none is configured
 * @param workflowId the workflow
 * @param row the version written
 * @param durationMs how long the write took inside the object
 */
export function recordVersion(
  dataset: AnalyticsEngineDataset | undefined,
  workflowId: string,
  row: VersionRow,
  durationMs: number,
): void {
  dataset?.writeDataPoint({
    indexes: [workflowId],
    blobs: [row.origin, row.branch, row.author],
    doubles: [row.version, row.stateBytes, row.storedBytes, durationMs],
  });
}

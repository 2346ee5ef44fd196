import type { WorkflowPage, WorkflowRecord } from "@chorus/core";
import { encodeCursor } from "./cursor.ts";
import { newestFirst } from "./sort-order.ts";

/**
 * Merges every shard's rows after the cursor into one page. Each shard was asked for
 * `limit + 1` rows, so more rows than `limit` in all means at least one shard has more: the
 * page is not the last. Fewer means every shard ran out.
 * @param shardRows each shard's rows, in any order
 * @param limit the page size
 * @returns the newest `limit` rows and the cursor after the last of them
 */
export function mergePages(shardRows: WorkflowRecord[][], limit: number): WorkflowPage {
  const rows = shardRows.flat().sort(newestFirst);
  const workflows = rows.slice(0, limit);
  const last = workflows.at(-1);
  return {
    workflows,
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last) : null,
  };
}

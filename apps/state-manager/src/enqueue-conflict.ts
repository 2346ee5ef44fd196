import { ChorusError, type Conflict, type JsonValue } from "@chorus/core";
import type { WorkflowContext } from "./workflow-context.ts";

/** A merge's leftovers, as the conflict queue records them. */
export interface ConflictToQueue {
  branch: string;
  base: number;
  head: number;
  source: string;
  theirsVersion: number | null;
  author: string;
  description: string;
  conflicts: Conflict[];
  /** conflicts a strategy did resolve in the same merge, counted as detected too */
  autoResolved: number;
  theirs: JsonValue;
}

/**
 * Queues the conflicts a merge left, counts them, and stops the write: nothing is committed.
 * It never returns, so callers write `return enqueueConflict(…)`, which reads as the end.
 * @param ctx the workflow
 * @param queued what to record
 * @throws ChorusError `CONFLICT` carrying the conflict id and every conflicting path, always
 */
export function enqueueConflict(ctx: WorkflowContext, queued: ConflictToQueue): never {
  const id = crypto.randomUUID();
  const now = ctx.now();
  ctx.transaction(() => {
    ctx.conflicts.insert(
      {
        id,
        branch: queued.branch,
        base: queued.base,
        head: queued.head,
        source: queued.source,
        theirsVersion: queued.theirsVersion,
        status: "open",
        author: queued.author,
        description: queued.description,
        createdAt: now,
        conflicts: queued.conflicts,
        resolvedVersion: null,
      },
      queued.theirs,
    );
    ctx.counters.add("conflictsDetected", queued.conflicts.length + queued.autoResolved);
    ctx.counters.add("conflictsAutoResolved", queued.autoResolved);
    ctx.counters.add("conflictsQueued");
    // A commit from an older base that could not be merged (a branch merge is not a commit).
    if (queued.source === "commit")
      ctx.counters.addAll({ concurrentCommits: 1, concurrentQueued: 1 });
    ctx.audit.append({
      at: now,
      actor: queued.author,
      action: "conflict.queued",
      version: null,
      detail: {
        conflictId: id,
        branch: queued.branch,
        source: queued.source,
        paths: queued.conflicts.map((c) => c.path),
      },
    });
  });
  const paths = queued.conflicts.map((conflict) => conflict.path);
  throw new ChorusError(
    "CONFLICT",
    `${paths.length} conflicting path(s): ${paths.slice(0, 5).join(", ")}`,
    {
      path: paths[0] ?? "",
      details: {
        conflictId: id,
        branch: queued.branch,
        base: queued.base,
        head: queued.head,
        conflicts: queued.conflicts,
      },
    },
  );
}

import type { CommitResult, Snapshot } from "@chorus/core";
import type { CreateSnapshotInput, RestoreInput } from "./inputs.ts";
import { VersionStore } from "./version-store.ts";
import { prepareVersion, writeVersion } from "./version-writer.ts";
import type { WorkflowContext } from "./workflow-context.ts";

/**
 * Marks a version (the head of `branch` by default) as a snapshot: a point that is never
 * archived away and can be restored.
 * @param ctx the workflow
 * @param input which version, a description and the author
 * @returns the snapshot
 */
export function createSnapshot(ctx: WorkflowContext, input: CreateSnapshotInput): Snapshot {
  const version = input.version ?? ctx.branches.requireHead(input.branch ?? "main");
  const row = ctx.versions.require(version);
  const snapshot: Snapshot = {
    id: crypto.randomUUID(),
    workflowId: ctx.workflowId(),
    version,
    description: input.description,
    createdAt: ctx.now(),
    author: input.author,
    checksum: row.checksum,
  };
  ctx.transaction(() => {
    ctx.snapshots.insert(snapshot);
    ctx.counters.add("snapshotsCreated");
    ctx.audit.append({
      at: snapshot.createdAt,
      actor: input.author,
      action: "snapshot.created",
      version,
      detail: { snapshotId: snapshot.id, description: input.description },
    });
  });
  return snapshot;
}

/**
 * Restores a snapshot as a new version on `branch` (default `main`): history is never rewritten.
 * @param ctx the workflow
 * @param input the snapshot and the author
 * @returns the new version
 */
export async function restore(ctx: WorkflowContext, input: RestoreInput): Promise<CommitResult> {
  const snapshot = ctx.snapshots.require(ctx.workflowId(), input.snapshotId);
  const branch = input.branch ?? "main";
  const head = ctx.branches.requireHead(branch);
  const prepared = await prepareVersion(ctx, {
    branch,
    parents: [head],
    state: await ctx.versions.stateAt(snapshot.version),
    author: input.author,
    description: `Restore snapshot ${snapshot.id} (version ${snapshot.version})`,
    origin: "restore",
  });
  const row = writeVersion(ctx, prepared, (written) =>
    ctx.audit.append({
      at: written.timestamp,
      actor: input.author,
      action: "snapshot.restored",
      version: written.version,
      detail: { snapshotId: snapshot.id, from: snapshot.version },
    }),
  );
  return {
    version: VersionStore.toStateVersion(row, ctx.workflowId()),
    origin: "restore",
    merged: [],
    resolved: [],
    replayed: false,
  };
}

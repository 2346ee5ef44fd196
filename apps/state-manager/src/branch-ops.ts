import {
  type Branch,
  ChorusError,
  type CommitResult,
  type JsonValue,
  mergeBase,
} from "@chorus/core";
import { enqueueConflict } from "./enqueue-conflict.ts";
import type { CreateBranchInput, MergeBranchInput } from "./inputs.ts";
import { mergeStates } from "./merge-states.ts";
import { type VersionRow, VersionStore } from "./version-store.ts";
import { prepareVersion, writeVersion } from "./version-writer.ts";
import type { WorkflowContext } from "./workflow-context.ts";

/**
 * Starts a branch at a version (the head of `main` by default).
 * @param ctx the workflow
 * @param input its name, start version and author
 * @returns the branch
 * @throws ChorusError `ALREADY_EXISTS`, `NOT_FOUND`, or `TOO_LARGE` past the branch limit
 */
export function createBranch(ctx: WorkflowContext, input: CreateBranchInput): Branch {
  if (ctx.branches.head(input.name) !== undefined) {
    throw new ChorusError("ALREADY_EXISTS", `branch "${input.name}" exists already`, {
      path: "/name",
    });
  }
  const limit = ctx.settings().limits.maxBranches;
  if (ctx.branches.count() >= limit) {
    throw new ChorusError("TOO_LARGE", `a workflow may have at most ${limit} branches`, {
      path: "/name",
    });
  }
  const from = input.fromVersion ?? ctx.branches.requireHead("main");
  if (ctx.versions.row(from) === undefined) {
    throw new ChorusError("NOT_FOUND", `version ${from} does not exist`, { path: "/fromVersion" });
  }
  const branch: Branch = {
    name: input.name,
    head: from,
    createdFrom: from,
    createdAt: ctx.now(),
    author: input.author,
  };
  ctx.transaction(() => {
    ctx.branches.insert(branch);
    ctx.audit.append({
      at: branch.createdAt,
      actor: input.author,
      action: "branch.created",
      version: from,
      detail: { name: input.name },
    });
  });
  return branch;
}

/**
 * Merges `source` into `into` from their merge-base: a fast-forward when `into` has not moved,
 * otherwise a merge version with both heads as parents. Conflicts a strategy cannot settle
 * are queued and nothing is committed.
 * @param ctx the workflow
 * @param input the branches, an optional strategy for every conflict, and the author
 * @param review for an approved review's merge: the state approved, and what to write with the
 *   version (see `review-decide.ts`); without it a review gate refuses a merge into a protected path
 * @returns the new version
 * @throws ChorusError `CONFLICT` with the queued conflict; `REVIEW_REQUIRED`
 */
export async function mergeBranch(
  ctx: WorkflowContext,
  input: MergeBranchInput,
  review?: { approved: JsonValue; also: (row: VersionRow) => void },
): Promise<CommitResult> {
  if (input.source === input.into) {
    throw new ChorusError("VALIDATION_FAILED", "a branch cannot be merged into itself", {
      path: "/into",
    });
  }
  const sourceHead = ctx.branches.requireHead(input.source, "/source");
  const intoHead = ctx.branches.requireHead(input.into, "/into");
  const base = mergeBase((id) => graphNode(ctx, id), String(sourceHead), String(intoHead));
  const baseVersion = base === undefined ? undefined : Number(base);
  if (baseVersion === sourceHead) {
    throw new ChorusError(
      "VALIDATION_FAILED",
      `"${input.into}" already contains "${input.source}"`,
      { path: "/source" },
    );
  }
  const description =
    input.changeDescription ?? `Merge branch "${input.source}" into "${input.into}"`;
  const theirs = await ctx.versions.stateAt(sourceHead);
  const merged =
    baseVersion === intoHead
      ? { value: theirs, clean: [], resolved: [], conflicts: [] }
      : await mergeStates(ctx, {
          base: baseVersion === undefined ? {} : await ctx.versions.stateAt(baseVersion),
          ours: intoHead,
          theirs: { version: sourceHead, state: theirs },
          author: input.author,
          ...(input.strategy === undefined ? {} : { strategy: input.strategy }),
        });
  if (merged.conflicts.length > 0) {
    return enqueueConflict(ctx, {
      branch: input.into,
      base: baseVersion ?? intoHead,
      head: intoHead,
      source: `branch:${input.source}`,
      theirsVersion: sourceHead,
      author: input.author,
      description,
      conflicts: merged.conflicts,
      autoResolved: merged.resolved.length,
      theirs,
    });
  }
  const origin = baseVersion === intoHead ? "fast-forward" : "merge";
  const prepared = await prepareVersion(ctx, {
    branch: input.into,
    parents: [intoHead, sourceHead],
    state: merged.value,
    author: input.author,
    description,
    origin,
    ...(review === undefined ? {} : { approved: review.approved }),
  });
  const row = writeVersion(ctx, prepared, (written) => {
    if (merged.resolved.length > 0) {
      ctx.counters.add("conflictsDetected", merged.resolved.length);
      ctx.counters.add("conflictsAutoResolved", merged.resolved.length);
    }
    review?.also(written);
  });
  return {
    version: VersionStore.toStateVersion(row, ctx.workflowId()),
    origin,
    merged: merged.clean,
    resolved: merged.resolved,
    replayed: false,
  };
}

/**
 * A version as core's version-graph functions (`mergeBase`) read it.
 * @returns the node, or `undefined` for an unknown id
 */
export function graphNode(
  ctx: WorkflowContext,
  id: string,
): { id: string; version: number; parents: string[]; checksum: string } | undefined {
  const row = ctx.versions.row(Number(id));
  return row === undefined
    ? undefined
    : { id, version: row.version, parents: row.parents.map(String), checksum: row.checksum };
}

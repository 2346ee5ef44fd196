import {
  applyPatch,
  assertJson,
  ChorusError,
  type CommitResult,
  escapeToken,
  hasAt,
  type JsonPatch,
  type JsonValue,
} from "@chorus/core";
import { validateIncoming } from "./commit.ts";
import type { ResolveConflictInput } from "./inputs.ts";
import { mergeStates } from "./merge-states.ts";
import { reviewMergedBy } from "./review-decide.ts";
import { VersionStore } from "./version-store.ts";
import { prepareVersion, writeVersion } from "./version-writer.ts";
import type { WorkflowContext } from "./workflow-context.ts";

/**
 * Resolves a queued conflict against the branch's current head: `ours` keeps the head's side
 * of every conflict, `theirs` takes the incoming side, `{ values }` sets each conflicting path
 * explicitly (all of them must be given). Commits a merge version whose parents are the head
 * and the other side (the source head of a branch merge, or the writer's base version).
 * The conflict of an approved review's merge carries the approval: its resolution may bring the
 * reviewed values to protected paths (and only those), and marks the review merged.
 * @param ctx the workflow
 * @param input the conflict, the resolution and the author
 * @returns the new version
 * @throws ChorusError `NOT_FOUND`, `ALREADY_EXISTS` (resolved before), `VALIDATION_FAILED` (paths not covered)
 */
export async function resolveConflict(
  ctx: WorkflowContext,
  input: ResolveConflictInput,
): Promise<CommitResult> {
  const { conflict, theirs } = ctx.conflicts.require(input.conflictId);
  if (conflict.status !== "open") {
    throw new ChorusError(
      "ALREADY_EXISTS",
      `conflict "${conflict.id}" was resolved by version ${conflict.resolvedVersion}`,
      {
        path: "/conflictId",
      },
    );
  }
  const head = ctx.branches.requireHead(conflict.branch);
  const strategy = typeof input.resolution === "string" ? input.resolution : undefined;
  const result = await mergeStates(ctx, {
    base: await ctx.versions.stateAt(conflict.base),
    ours: head,
    theirs: {
      ...(conflict.theirsVersion === null ? {} : { version: conflict.theirsVersion }),
      state: theirs,
    },
    author: input.author,
    ...(strategy === undefined ? { strategy: "reject" } : { strategy }),
  });
  let state = result.value;
  if (typeof input.resolution !== "string") {
    state = applyExplicit(
      state,
      result.conflicts.map((c) => c.path),
      input.resolution.values,
    );
  } else if (result.conflicts.length > 0) {
    throw new ChorusError("CONFLICT", "the strategy left conflicts", {
      details: { conflicts: result.conflicts },
    });
  }
  validateIncoming(state);
  const review = ctx.reviews.byConflict(conflict.id);
  const approved =
    review?.status === "conflicted" && conflict.theirsVersion !== null
      ? await ctx.versions.stateAt(conflict.theirsVersion)
      : undefined;
  const prepared = await prepareVersion(ctx, {
    branch: conflict.branch,
    parents: [head, conflict.theirsVersion ?? conflict.base],
    state,
    author: input.author,
    description: `Resolve conflict ${conflict.id}: ${conflict.description}`.trim(),
    origin: "resolution",
    ...(approved === undefined ? {} : { approved }),
  });
  const row = writeVersion(ctx, prepared, (written) => {
    ctx.conflicts.resolve(conflict.id, written.version);
    ctx.counters.add("conflictsResolved");
    ctx.audit.append({
      at: written.timestamp,
      actor: input.author,
      action: "conflict.resolved",
      version: written.version,
      detail: { conflictId: conflict.id, resolution: strategy ?? "values" },
    });
    if (review !== undefined && approved !== undefined) reviewMergedBy(ctx, review, written);
  });
  return {
    version: VersionStore.toStateVersion(row, ctx.workflowId()),
    origin: "resolution",
    merged: result.clean,
    resolved: result.resolved,
    replayed: false,
  };
}

function applyExplicit(
  state: JsonValue,
  conflictPaths: string[],
  values: Record<string, unknown>,
): JsonValue {
  const missing = conflictPaths.filter((path) => !Object.hasOwn(values, path));
  if (missing.length > 0) {
    throw new ChorusError("VALIDATION_FAILED", `no value given for ${missing.join(", ")}`, {
      path: "/resolution/values",
      details: {
        issues: missing.map((path) => ({
          path: `/resolution/values/${escapeToken(path)}`,
          message: "value required",
        })),
      },
    });
  }
  const patch: JsonPatch = [];
  for (const [path, value] of Object.entries(values)) {
    assertJson(value, { path: `/resolution/values/${escapeToken(path)}` });
    patch.push({ op: hasAt(state, path) ? "replace" : "add", path, value });
  }
  try {
    return applyPatch(state, patch);
  } catch (error) {
    if (error instanceof ChorusError) {
      throw new ChorusError("VALIDATION_FAILED", error.message, {
        path: "/resolution/values",
        details: error.details,
      });
    }
    throw error;
  }
}

import {
  applyPatch,
  assertJson,
  ChorusError,
  type CommitOrigin,
  type Conflict,
  diff,
  type JsonPatch,
  type JsonValue,
  parsePatch,
  type StateVersion,
  sha256Hex,
  validateStateChange,
  validateStateDocument,
  validationError,
} from "@chorus/core";
import { enqueueConflict } from "./enqueue-conflict.ts";
import type { CommitInput } from "./inputs.ts";
import { mergeStates } from "./merge-states.ts";
import { type VersionRow, VersionStore } from "./version-store.ts";
import { prepareVersion, writeVersion } from "./version-writer.ts";
import type { WorkflowContext } from "./workflow-context.ts";

/** What a successful commit returns. */
export interface CommitOutput {
  version: StateVersion;
  /** how the version came about */
  origin: CommitOrigin;
  /** where a three-way merge took one side's change cleanly: the highest path only that side changed */
  merged: string[];
  /** conflicts a strategy resolved, with the strategy's name */
  resolved: Array<Conflict & { strategy: string }>;
  /** true when this is the remembered result of an earlier write with the same idempotency key */
  replayed: boolean;
}

/** How a refused state is named: its issues sit under `/state`, where the caller sent it. */
const STATE = { what: "state", at: "/state" };

/**
 * Checks that an incoming state is JSON and matches the workflow state schema.
 * @param state the incoming state
 * @throws ChorusError `VALIDATION_FAILED` listing every issue under `/state`
 */
export function validateIncoming(state: unknown): asserts state is JsonValue {
  assertJson(state, { path: "/state" });
  const result = validateStateDocument(state);
  if (!result.success) throw validationError(result.issues, STATE);
}

/**
 * Commits one write: fast-forward when it starts from the head, a three-way merge when it
 * starts from an older version, the workflow's policy when it names no base. A merge that
 * leaves conflicts queues them and commits nothing.
 * @param ctx the workflow
 * @param input the validated write
 * @returns the new version and how it was made
 * @throws ChorusError `CONFLICT` with the queued conflict's id and paths
 */
export async function commit(ctx: WorkflowContext, input: CommitInput): Promise<CommitOutput> {
  const workflowId = ctx.workflowId();
  if (input.idempotencyKey !== undefined) {
    const prior = ctx.idempotency.get<CommitOutput>(input.idempotencyKey);
    if (prior !== undefined) return { ...prior, replayed: true };
  }
  const settings = ctx.settings();
  const head = ctx.versions.require(ctx.branches.requireHead(input.branch));
  if (input.ifMatch !== undefined && input.ifMatch !== head.checksum) {
    throw new ChorusError(
      "PRECONDITION_FAILED",
      "the branch head no longer has the checksum in If-Match",
      {
        path: "/ifMatch",
        details: { head: head.version, checksum: head.checksum },
      },
    );
  }
  if (input.baseVersion !== undefined && ctx.versions.row(input.baseVersion) === undefined) {
    throw new ChorusError("NOT_FOUND", `base version ${input.baseVersion} does not exist`, {
      path: "/baseVersion",
    });
  }
  if (
    input.baseVersion === undefined &&
    input.ifMatch === undefined &&
    settings.unbasedWrites === "reject"
  ) {
    throw new ChorusError(
      "VALIDATION_FAILED",
      "this workflow requires baseVersion on every write",
      {
        path: "/baseVersion",
      },
    );
  }
  // A matching If-Match names the head as the base: the write is based, not last-writer-wins.
  const based = input.baseVersion ?? (input.ifMatch === undefined ? undefined : head.version);
  const baseVersion = based ?? head.version;
  const baseState = await ctx.versions.stateAt(baseVersion);
  const { state: incoming, touched } = incomingState(input, baseState, settings.limits.maxPatchOps);
  // The base was valid when it was committed: only what the write touched needs checking.
  const checked = validateStateChange(incoming, touched);
  if (!checked.success) throw validationError(checked.issues, STATE);
  if (
    input.expectedChecksum !== undefined &&
    (await sha256Hex(ctx.versions.canonical.text(incoming))) !== input.expectedChecksum
  ) {
    throw new ChorusError("PRECONDITION_FAILED", "the state does not match expectedChecksum", {
      path: "/expectedChecksum",
    });
  }

  let state = incoming;
  let origin: CommitOrigin = based === undefined ? "last-writer-wins" : "fast-forward";
  let merged: string[] = [];
  let resolved: Array<Conflict & { strategy: string }> = [];
  if (based !== undefined && based !== head.version) {
    const result = await mergeStates(ctx, {
      base: baseState,
      ours: head.version,
      theirs: { state: incoming },
      author: input.author,
    });
    if (result.conflicts.length > 0) {
      enqueueConflict(ctx, {
        branch: input.branch,
        base: baseVersion,
        head: head.version,
        source: "commit",
        theirsVersion: null,
        author: input.author,
        description: input.changeDescription,
        conflicts: result.conflicts,
        autoResolved: result.resolved.length,
        theirs: incoming,
      });
    }
    ({ value: state, clean: merged, resolved } = result);
    origin = "merge";
  }

  const prepared = await prepareVersion(ctx, {
    branch: input.branch,
    parents: [head.version],
    state,
    author: input.author,
    description: input.changeDescription,
    origin,
  });
  const toOutput = (row: VersionRow): CommitOutput => ({
    version: VersionStore.toStateVersion(row, workflowId),
    origin,
    merged,
    resolved,
    replayed: false,
  });
  const row = writeVersion(ctx, prepared, (written) => {
    if (resolved.length > 0) {
      ctx.counters.addAll({
        conflictsDetected: resolved.length,
        conflictsAutoResolved: resolved.length,
      });
    }
    if (input.idempotencyKey !== undefined) {
      ctx.idempotency.put(input.idempotencyKey, toOutput(written), written.timestamp);
    }
  });
  return toOutput(row);
}

/**
 * The state a write proposes, as the base with a patch applied: a whole `state` is first
 * turned into the patch from the base, so that either way the result shares every untouched
 * subtree with the base, and validation and canonicalization cost what changed.
 * @returns the state, and the paths the write touched
 */
function incomingState(
  input: CommitInput,
  baseState: JsonValue,
  maxPatchOps: number,
): { state: JsonValue; touched: string[] } {
  if (input.state !== undefined) {
    const sent: unknown = input.state;
    assertJson(sent, { path: "/state" });
    const patch = diff(baseState, sent);
    return { state: applyPatch(baseState, patch), touched: touchedPaths(patch) };
  }
  const patch = parsePatch(input.patch);
  if (patch.length > maxPatchOps) {
    throw new ChorusError(
      "TOO_LARGE",
      `the patch has ${patch.length} operations; the limit is ${maxPatchOps}`,
      {
        path: "/patch",
      },
    );
  }
  try {
    return { state: applyPatch(baseState, patch), touched: touchedPaths(patch) };
  } catch (error) {
    if (
      error instanceof ChorusError &&
      error.path !== undefined &&
      !error.path.startsWith("/patch")
    ) {
      throw error.under("/patch");
    }
    throw error;
  }
}

/** @returns the paths a patch writes or removes: each `path`, and the `from` of a `move` */
function touchedPaths(patch: JsonPatch): string[] {
  return patch.flatMap((op) => (op.op === "move" ? [op.path, op.from] : [op.path]));
}

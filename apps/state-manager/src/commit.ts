import {
  applyPatch,
  assertJson,
  ChorusError,
  type CommitResult,
  diff,
  gateHits,
  isProtectedBranch,
  type JsonPatch,
  type JsonValue,
  parsePatch,
  sha256Hex,
  validateStateChange,
  validateStateDocument,
  validationError,
  type WorkflowSettings,
} from "@chorus/core";
import { enqueueConflict } from "./enqueue-conflict.ts";
import type { CommitInput } from "./inputs.ts";
import { mergeStates } from "./merge-states.ts";
import { openCommitReview } from "./review-open.ts";
import { type VersionRow, VersionStore } from "./version-store.ts";
import { prepareVersion, writeVersion } from "./version-writer.ts";
import type { WorkflowContext } from "./workflow-context.ts";

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
 * leaves conflicts queues them and commits nothing. A write that changes what a review gate
 * protects on its branch lands on a new review branch instead (`review` in the result).
 * @param ctx the workflow
 * @param input the validated write
 * @returns the new version and how it was made
 * @throws ChorusError `CONFLICT` with the queued conflict's id and paths; `PRECONDITION_FAILED`,
 *   `NOT_FOUND` or `VALIDATION_FAILED` when a precondition below does not hold
 */
export async function commit(ctx: WorkflowContext, input: CommitInput): Promise<CommitResult> {
  const replay = replayOf(ctx, input.idempotencyKey);
  if (replay !== undefined) return replay;
  const settings = ctx.settings();
  const head = ctx.versions.require(ctx.branches.requireHead(input.branch));
  assertIfMatch(input, head);
  assertBaseExists(ctx, input);
  assertBasedIfRequired(input, settings);
  // A matching If-Match names the head as the base: the write is based, not last-writer-wins.
  const based = input.baseVersion ?? (input.ifMatch === undefined ? undefined : head.version);
  const baseState = await ctx.versions.stateAt(based ?? head.version);
  const { state: incoming, touched } = incomingState(input, baseState, settings.limits.maxPatchOps);
  // The base was valid when it was committed: only what the write touched needs checking.
  const checked = validateStateChange(incoming, touched);
  if (!checked.success) throw validationError(checked.issues, STATE);
  await assertExpectedChecksum(ctx, input, incoming);
  const fork = based ?? head.version;
  if (isProtectedBranch(settings.reviewGates, input.branch)) {
    const change = diff(baseState, incoming);
    const hits = gateHits(settings.reviewGates, input.branch, baseState, incoming, change);
    if (hits.length > 0) return openCommitReview(ctx, input, fork, incoming, hits);
  }
  if (based !== undefined && based !== head.version) {
    const base = { version: based, state: baseState };
    return write(ctx, input, head, await mergeWithHead(ctx, input, base, head, incoming));
  }
  const origin = based === undefined ? "last-writer-wins" : "fast-forward";
  return write(ctx, input, head, { state: incoming, origin, merged: [], resolved: [] });
}

/** What a write comes to before it is stored: the state, and how it was reached. */
type Outcome = Pick<CommitResult, "origin" | "merged" | "resolved"> & { state: JsonValue };

/**
 * @param key the write's idempotency key, if it has one
 * @returns the result of the earlier write with that key, marked `replayed`; `undefined` if none
 */
function replayOf(ctx: WorkflowContext, key: string | undefined): CommitResult | undefined {
  const prior = key === undefined ? undefined : ctx.idempotency.get<CommitResult>(key);
  return prior === undefined ? undefined : { ...prior, replayed: true };
}

/**
 * Precondition: an `ifMatch` still names the branch head.
 * @throws ChorusError `PRECONDITION_FAILED` at `/ifMatch`, with the head's version and checksum
 */
function assertIfMatch(input: CommitInput, head: VersionRow): void {
  if (input.ifMatch === undefined || input.ifMatch === head.checksum) return;
  throw new ChorusError(
    "PRECONDITION_FAILED",
    "the branch head no longer has the checksum in If-Match",
    { path: "/ifMatch", details: { head: head.version, checksum: head.checksum } },
  );
}

/**
 * Precondition: a `baseVersion` is a version of this workflow.
 * @throws ChorusError `NOT_FOUND` at `/baseVersion`
 */
function assertBaseExists(ctx: WorkflowContext, input: CommitInput): void {
  if (input.baseVersion === undefined || ctx.versions.row(input.baseVersion) !== undefined) return;
  throw new ChorusError("NOT_FOUND", `base version ${input.baseVersion} does not exist`, {
    path: "/baseVersion",
  });
}

/**
 * Precondition: a workflow whose `unbasedWrites` is `reject` gets a base with every write
 * (`baseVersion`, or `ifMatch`, which names the head).
 * @throws ChorusError `VALIDATION_FAILED` at `/baseVersion`
 */
function assertBasedIfRequired(input: CommitInput, settings: WorkflowSettings): void {
  const unbased = input.baseVersion === undefined && input.ifMatch === undefined;
  if (!unbased || settings.unbasedWrites !== "reject") return;
  throw new ChorusError("VALIDATION_FAILED", "this workflow requires baseVersion on every write", {
    path: "/baseVersion",
  });
}

/**
 * Precondition: an `expectedChecksum` is the checksum of the state the write proposes.
 * @throws ChorusError `PRECONDITION_FAILED` at `/expectedChecksum`
 */
async function assertExpectedChecksum(
  ctx: WorkflowContext,
  input: CommitInput,
  incoming: JsonValue,
): Promise<void> {
  if (input.expectedChecksum === undefined) return;
  const actual = await sha256Hex(ctx.versions.canonical.text(incoming));
  if (actual === input.expectedChecksum) return;
  throw new ChorusError("PRECONDITION_FAILED", "the state does not match expectedChecksum", {
    path: "/expectedChecksum",
  });
}

/**
 * Three-way merges a write from an older base with the head, by the workflow's strategy rules.
 * @returns the merged state
 * @throws ChorusError `CONFLICT` when conflicts are left: they are queued and nothing is committed
 */
async function mergeWithHead(
  ctx: WorkflowContext,
  input: CommitInput,
  base: { version: number; state: JsonValue },
  head: VersionRow,
  incoming: JsonValue,
): Promise<Outcome> {
  const result = await mergeStates(ctx, {
    base: base.state,
    ours: head.version,
    theirs: { state: incoming },
    author: input.author,
  });
  if (result.conflicts.length > 0) {
    return enqueueConflict(ctx, {
      branch: input.branch,
      base: base.version,
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
  return { state: result.value, origin: "merge", merged: result.clean, resolved: result.resolved };
}

/**
 * Stores the outcome as the branch's new head, with its counters and idempotency key.
 * @returns what the commit answers
 */
async function write(
  ctx: WorkflowContext,
  input: CommitInput,
  head: VersionRow,
  { state, ...how }: Outcome,
): Promise<CommitResult> {
  const prepared = await prepareVersion(ctx, {
    branch: input.branch,
    parents: [head.version],
    state,
    author: input.author,
    description: input.changeDescription,
    origin: how.origin,
  });
  const workflowId = ctx.workflowId();
  const toOutput = (row: VersionRow): CommitResult => ({
    version: VersionStore.toStateVersion(row, workflowId),
    ...how,
    replayed: false,
  });
  const row = writeVersion(ctx, prepared, (written) => {
    if (how.origin === "merge") {
      // A write from an older base: merged cleanly, or with a strategy settling an overlap.
      const byStrategy = how.resolved.length > 0;
      ctx.counters.addAll({
        concurrentCommits: 1,
        ...(byStrategy ? { concurrentResolved: 1 } : { concurrentMerged: 1 }),
        conflictsDetected: how.resolved.length,
        conflictsAutoResolved: how.resolved.length,
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

import {
  ChorusError,
  type CommitOrigin,
  diff,
  encodeVersion,
  type JsonValue,
  sha256HexOfBytes,
} from "@chorus/core";
import { assertReviewed } from "./review-gate.ts";
import { encodeKeyframe, type VersionRow } from "./version-store.ts";
import type { WorkflowContext } from "./workflow-context.ts";

/** What a new version is made of. */
export interface NewVersion {
  branch: string;
  /** first parent: the version the stored patch is taken against */
  parents: number[];
  state: JsonValue;
  author: string;
  description: string;
  origin: CommitOrigin;
  /** the state an approved review holds, for a write that merges it (see `review-gate.ts`) */
  approved?: JsonValue;
}

/** A version ready to write: everything computed, nothing stored yet. */
export interface PreparedVersion {
  row: VersionRow;
  patchText: string;
  state: JsonValue;
  /** the state's canonical JSON text */
  text: string;
  /** that text gzipped, when this version is a keyframe */
  keyframe: Uint8Array | undefined;
}

/**
 * Computes everything a new version needs (patch against its first parent, checksum, sizes,
 * whether to store a keyframe) and checks the limits, before any write happens.
 * @param ctx the workflow
 * @param next the new version
 * @returns the prepared version
 * @throws ChorusError `TOO_LARGE`, or `TOO_DEEP`/`INVALID_JSON` from canonicalization (callers
 * validate incoming states first, with paths), or `REVIEW_REQUIRED` when the version would change
 * a protected path of a protected branch without an approved review; nothing is written
 */
export async function prepareVersion(
  ctx: WorkflowContext,
  next: NewVersion,
): Promise<PreparedVersion> {
  const settings = ctx.settings();
  const text = canonicalText(ctx, next.state);
  // A view of this object's scratch buffer: used before this write ends, never kept.
  const bytes = ctx.versions.utf8.encode(text);
  const stateBytes = bytes.length;
  if (stateBytes > settings.limits.maxStateBytes) {
    throw new ChorusError(
      "TOO_LARGE",
      `the state is ${stateBytes} bytes; the limit is ${settings.limits.maxStateBytes}`,
      { path: "/state", details: { bytes: stateBytes, limit: settings.limits.maxStateBytes } },
    );
  }
  const parent = next.parents[0];
  const version = ctx.versions.latest() + 1;
  const parentState = parent === undefined ? undefined : await ctx.versions.stateAt(parent);
  // Core's delta codec decides keyframe or patch; the patch against the first parent is kept
  // either way, because the change feed and diffs read it.
  const entry = encodeVersion(
    parent === undefined || parentState === undefined
      ? undefined
      : { entry: ctx.versions.entryMeta(parent), state: parentState },
    { version, state: next.state },
    // The canonical text's length stands in for the state's JSON length: no second walk.
    { keyframeInterval: settings.keyframeInterval, stateLength: text.length },
  );
  const patch =
    entry.kind === "patch"
      ? entry.patch
      : parentState === undefined
        ? []
        : diff(parentState, next.state);
  if (parentState !== undefined) {
    assertReviewed(ctx, {
      branch: next.branch,
      before: parentState,
      after: next.state,
      patch,
      approved: next.approved,
    });
  }
  const patchText = JSON.stringify(patch);
  const keyframe = entry.kind === "keyframe";
  const stored = keyframe ? await encodeKeyframe(bytes) : undefined;
  const row: VersionRow = {
    version,
    branch: next.branch,
    parents: next.parents,
    timestamp: ctx.now(),
    author: next.author,
    description: next.description,
    checksum: await sha256HexOfBytes(bytes),
    stateBytes,
    storedBytes: patchText.length + (stored?.byteLength ?? 0),
    keyframe,
    chain: entry.kind === "patch" ? entry.chain : 0,
    origin: next.origin,
    archived: false,
  };
  return { row, patchText, state: next.state, text, keyframe: stored };
}

/**
 * @returns the state's canonical text, from the version store's cache of untouched subtrees
 * @throws ChorusError `INVALID_JSON`/`TOO_DEEP` at the offending path under `/state`
 */
function canonicalText(ctx: WorkflowContext, state: JsonValue): string {
  try {
    return ctx.versions.canonical.text(state);
  } catch (error) {
    throw error instanceof ChorusError ? error.under("/state") : error;
  }
}

/**
 * Writes a prepared version, moves its branch, counts it, audits it and records it in the
 * outbox, all in one
 * transaction with whatever `alsoInTransaction` adds (conflict resolution, idempotency key).
 * @param ctx the workflow
 * @param prepared from {@link prepareVersion}
 * @param alsoInTransaction more writes that must land with the version, or not at all
 * @returns the stored row
 */
export function writeVersion(
  ctx: WorkflowContext,
  prepared: PreparedVersion,
  alsoInTransaction: (row: VersionRow) => void = () => undefined,
): VersionRow {
  const { row } = prepared;
  ctx.transaction(() => {
    ctx.versions.insert(row, prepared.patchText, prepared.keyframe);
    if (ctx.branches.head(row.branch) === undefined) {
      ctx.branches.insert({
        name: row.branch,
        head: row.version,
        // A review branch is born with its first version, from the version it forks.
        createdFrom: row.parents[0] ?? null,
        createdAt: row.timestamp,
        author: row.author,
      });
    } else {
      ctx.branches.move(row.branch, row.version);
    }
    ctx.counters.addAll({ versionsCreated: 1, storedBytes: row.storedBytes });
    ctx.audit.append({
      at: row.timestamp,
      actor: row.author,
      action: `version.${row.origin}`,
      version: row.version,
      detail: { branch: row.branch, parents: row.parents, description: row.description },
    });
    // With the version or not at all: no commit escapes delivery to the consumer workers.
    ctx.outbox.record(row.version);
    alsoInTransaction(row);
  });
  ctx.versions.remember(row.version, prepared.state, { row, text: prepared.text });
  ctx.versionWritten(row);
  return row;
}

import {
  applyPatch,
  type ChangeFeed,
  ChorusError,
  type DiffResult,
  diff,
  type FeedEntry,
  getAt,
  type HistoryPage,
  type JsonValue,
  toStateChanges,
  type VersionState,
  type VersionStateText,
} from "@chorus/core";
import type {
  ChangesSinceInput,
  DiffInput,
  GetStateInput,
  GetStateTextInput,
  HistoryInput,
} from "./inputs.ts";
import { VersionStore } from "./version-store.ts";
import type { WorkflowContext } from "./workflow-context.ts";

/**
 * Reads the head of a branch, or any version, whole or at a JSON Pointer.
 * @param ctx the workflow
 * @param input which version and path
 * @returns the version and its state
 * @throws ChorusError `NOT_FOUND` for an unknown version, branch or path
 */
export async function getState(ctx: WorkflowContext, input: GetStateInput): Promise<VersionState> {
  const { row, path } = readTarget(ctx, input);
  const state = subtree(await ctx.versions.stateAt(row.version), path);
  return { version: VersionStore.toStateVersion(row, ctx.workflowId()), path, state };
}

/**
 * {@link getState}, answering the state as text: a reader that only passes the state on (the
 * gateway writing a response) gets a string, which crosses RPC as one copy instead of a
 * structured clone of every object, and needs no JSON.stringify of its own.
 * @param ctx the workflow
 * @param input which version and path, and which versions the caller already holds
 * @returns the version and its state's canonical text, or `notModified` instead of the text
 * @throws ChorusError `NOT_FOUND` for an unknown version, branch or path
 */
export async function getStateText(
  ctx: WorkflowContext,
  input: GetStateTextInput,
): Promise<VersionStateText> {
  const { row, path } = readTarget(ctx, input);
  const version = VersionStore.toStateVersion(row, ctx.workflowId());
  // A path that does not exist is NOT_FOUND, whatever the caller holds.
  const part = path === "" ? undefined : subtree(await ctx.versions.stateAt(row.version), path);
  const held = input.ifNoneMatch;
  if (held !== undefined && (held.includes("*") || held.includes(row.checksum))) {
    return { version, path, notModified: true };
  }
  const json =
    part === undefined ? await ctx.versions.textAt(row.version) : ctx.versions.canonical.text(part);
  return { version, path, json };
}

function readTarget(ctx: WorkflowContext, input: GetStateInput) {
  const number = input.version ?? ctx.branches.requireHead(input.branch ?? "main");
  const row = ctx.versions.row(number);
  if (row === undefined) {
    throw new ChorusError("NOT_FOUND", `version ${number} does not exist`, { path: "/version" });
  }
  return { row, path: input.path ?? "" };
}

function subtree(whole: JsonValue, path: string): JsonValue {
  try {
    return getAt(whole, path);
  } catch (error) {
    if (error instanceof ChorusError) {
      throw new ChorusError(error.code, error.message, {
        path: "/path",
        details: { pointer: path },
      });
    }
    throw error;
  }
}

/**
 * A page of version metadata, newest first.
 * @param ctx the workflow
 * @param input branch, page size and cursor (a version number to continue below)
 * @returns the versions and the next cursor, `null` on the last page
 */
export function history(ctx: WorkflowContext, input: HistoryInput): HistoryPage {
  if (input.branch !== undefined) ctx.branches.requireHead(input.branch);
  const before = input.cursor ?? Number.MAX_SAFE_INTEGER;
  const rows =
    input.branch === undefined
      ? ctx.versions.select(
          "WHERE version < ? ORDER BY version DESC LIMIT ?",
          before,
          input.limit + 1,
        )
      : ctx.versions.select(
          "WHERE branch = ? AND version < ? ORDER BY version DESC LIMIT ?",
          input.branch,
          before,
          input.limit + 1,
        );
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    versions: page.map((row) => VersionStore.toStateVersion(row, ctx.workflowId())),
    nextCursor: rows.length > input.limit && last !== undefined ? last.version : null,
  };
}

/**
 * The JSON Patch that turns one version into another.
 * @param ctx the workflow
 * @param input `from` and `to` versions
 * @returns the patch
 */
export async function diffVersions(ctx: WorkflowContext, input: DiffInput): Promise<DiffResult> {
  for (const [field, version] of [
    ["from", input.from],
    ["to", input.to],
  ] as const) {
    if (ctx.versions.row(version) === undefined) {
      throw new ChorusError("NOT_FOUND", `version ${version} does not exist`, {
        path: `/${field}`,
      });
    }
  }
  // A version's stored patch is exactly the diff from its first parent: no reconstruction needed.
  const toRow = ctx.versions.require(input.to);
  if (toRow.parents[0] === input.from) {
    return { from: input.from, to: input.to, patch: await ctx.versions.patchOf(input.to) };
  }
  const [a, b] = [await ctx.versions.stateAt(input.from), await ctx.versions.stateAt(input.to)];
  return { from: input.from, to: input.to, patch: diff(a, b) };
}

/**
 * The ordered change feed after `version`, read from the stored patches.
 * @param ctx the workflow
 * @param input the last version the reader has, and a page size
 * @returns entries in version order and whether more follow
 */
export async function changesSince(
  ctx: WorkflowContext,
  input: ChangesSinceInput,
): Promise<ChangeFeed> {
  const rows = ctx.versions.select(
    "WHERE version > ? ORDER BY version LIMIT ?",
    input.version,
    input.limit + 1,
  );
  const entries: FeedEntry[] = [];
  for (const row of rows.slice(0, input.limit)) {
    const parent = row.parents[0];
    const before = parent === undefined ? null : await ctx.versions.stateAt(parent);
    const patch = await ctx.versions.patchOf(row.version);
    // Cache this version's state so the next entry's parent is a lookup, not a reconstruction.
    if (before !== null) ctx.versions.remember(row.version, applyPatch(before, patch));
    entries.push({
      version: VersionStore.toStateVersion(row, ctx.workflowId()),
      changes: toStateChanges(patch, before, {
        workflowId: ctx.workflowId(),
        agentId: row.author,
        timestamp: row.timestamp,
        idPrefix: `${ctx.workflowId()}@${row.version}`,
      }),
    });
  }
  return { entries, hasMore: rows.length > input.limit };
}

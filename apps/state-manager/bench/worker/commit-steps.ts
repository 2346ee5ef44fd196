import {
  applyPatch,
  assertJson,
  CanonicalCache,
  canonicalize,
  diff,
  type JsonObject,
  type JsonPatch,
  type JsonValue,
  sha256HexOfBytes,
  validateStateChange,
  validateStateDocument,
} from "@chorus/core";
import { gunzipText, gzip } from "../../src/gzip.ts";

/** One step of the state manager's work on a whole state, and where it does it. */
export interface CommitStep {
  where: string;
  run: () => unknown;
}

/**
 * The steps a small-change commit or a read does to the whole state, ready to time on `state`.
 * @param state a benchmark state (tasks keyed by id)
 * @returns each step by name
 */
export function commitSteps(state: JsonObject): Record<string, CommitStep> {
  const tasks = state.tasks as JsonObject;
  const id = Object.keys(tasks)[0] ?? "";
  const patch: JsonPatch = [{ op: "replace", path: `/tasks/${id}/status`, value: "cancelled" }];
  const shared = applyPatch(state, patch);
  const copied = JSON.parse(JSON.stringify(shared)) as JsonValue;
  const canonical = canonicalize(shared);
  const patchText = JSON.stringify(patch);
  const encoder = new TextEncoder();
  const bytes = encoder.encode(canonical);
  const gzipped = gzip(bytes);
  const cache = new CanonicalCache();
  cache.text(state);
  const remembered = cache.text(shared);
  let turn = 0;
  return {
    "structured clone of the whole state (one RPC hop)": {
      where: "`state` commits and `getState` reads, at each of the two hops",
      run: () => structuredClone(state),
    },
    "applyPatch, structural sharing": {
      where: "every commit (a whole `state` is first diffed against its base)",
      run: () => applyPatch(state, patch),
    },
    "assertJson, whole state": {
      where: "`state` commits only: the state as sent",
      run: () => assertJson(shared),
    },
    "validateStateDocument, whole state (valibot)": {
      where: "create and conflict resolution only",
      run: () => validateStateDocument(shared),
    },
    "validateStateChange, one task touched": {
      where: "every commit: commit.ts",
      run: () => validateStateChange(shared, [`/tasks/${id}/status`]),
    },
    "canonicalize, nothing remembered": {
      where: "the first text of a state rebuilt from storage (an old read)",
      run: () => canonicalize(shared),
    },
    "CanonicalCache text, one task changed": {
      where: "every commit: version-writer.ts (the other tasks' text is remembered)",
      run: () => {
        const status = turn++ % 2 === 0 ? "running" : "failed";
        return cache.text(applyPatch(state, [{ ...patch[0], value: status } as JsonPatch[0]]));
      },
    },
    "TextEncoder.encode": {
      where: "every commit, once: size limit and checksum",
      // The commit encodes the canonical cache's text, as here; `canonicalize`'s output of the
      // same state takes workerd's TextEncoder several times as long (0.47 against 0.10 ms at
      // 100 KB, this text's join included), so timing that one would overstate the step.
      run: () => encoder.encode(remembered),
    },
    sha256HexOfBytes: {
      where: "every commit: the checksum",
      run: () => sha256HexOfBytes(bytes),
    },
    "diff vs parent, subtrees shared": {
      where: "core encodeVersion, every commit",
      run: () => diff(state, shared),
    },
    "diff vs base, nothing shared": {
      where: "`state` commits: commit.ts turns the sent state into a patch",
      run: () => diff(state, copied),
    },
    "gzip of the canonical text": {
      where: "a keyframe, every 32 versions",
      run: () => gzip(bytes),
    },
    "gunzip + JSON.parse of a keyframe": {
      where: "version-store.ts: old reads",
      run: async () => JSON.parse(await gunzipText(await gzipped)),
    },
    "JSON.parse + applyPatch of one stored patch": {
      where: "old reads, once per version past the keyframe",
      run: () => applyPatch(state, JSON.parse(patchText) as JsonPatch),
    },
  };
}

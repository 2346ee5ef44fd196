import {
  applyPatch,
  assertJson,
  canonicalize,
  diff,
  type JsonObject,
  type JsonPatch,
  type JsonValue,
  sha256Hex,
  validateStateDocument,
} from "@chorus/core";

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
  const keyframe = JSON.stringify(state);
  const patchText = JSON.stringify(patch);
  const encoder = new TextEncoder();
  return {
    "structured clone of the whole state (one RPC hop)": {
      where: "`state` commits and whole reads, at each of the two hops",
      run: () => structuredClone(state),
    },
    "applyPatch, structural sharing": {
      where: "`patch` commits: commit.ts incomingState",
      run: () => applyPatch(state, patch),
    },
    assertJson: {
      where: "commit.ts validateIncoming, then again in version-writer.ts prepareVersion",
      run: () => assertJson(shared),
    },
    "validateStateDocument (valibot)": {
      where: "commit.ts validateIncoming",
      run: () => validateStateDocument(shared),
    },
    canonicalize: { where: "version-writer.ts prepareVersion", run: () => canonicalize(shared) },
    "TextEncoder.encode": {
      where: "version-writer.ts size check, and again inside sha256Hex",
      run: () => encoder.encode(canonical),
    },
    sha256Hex: { where: "version-writer.ts checksum", run: () => sha256Hex(canonical) },
    "diff vs parent, subtrees shared": {
      where: "core encodeVersion, `patch` commits",
      run: () => diff(state, shared),
    },
    "diff vs parent, nothing shared": {
      where: "core encodeVersion, `state` commits",
      run: () => diff(state, copied),
    },
    "JSON.stringify": {
      where: "a keyframe every 32 versions; the bench driver's answer to a whole read",
      run: () => JSON.stringify(state),
    },
    "JSON.parse of a keyframe": {
      where: "version-store.ts #keyframe: old reads",
      run: () => JSON.parse(keyframe),
    },
    "JSON.parse + applyPatch of one stored patch": {
      where: "old reads, once per version past the keyframe",
      run: () => applyPatch(state, JSON.parse(patchText) as JsonPatch),
    },
  };
}

import * as v from "valibot";
import { diff } from "./diff.ts";
import { ChorusError } from "./errors.ts";
import { isJsonObject, type JsonValue } from "./json.ts";
import { JsonData, JsonPatch } from "./json-patch.ts";
import { applyPatch } from "./patch.ts";

const Version = v.pipe(v.number(), v.safeInteger());

/**
 * How one version of a document is stored: whole (a keyframe), or as the patch from its `base`
 * version, `chain` patches away from the nearest keyframe. `base` is any earlier version, not
 * necessarily `version - 1`, so histories may branch.
 */
export const DeltaEntry = v.variant("kind", [
  v.object({ version: Version, kind: v.literal("keyframe"), state: JsonData }),
  v.object({
    version: Version,
    kind: v.literal("patch"),
    base: Version,
    chain: v.pipe(Version, v.minValue(1)),
    patch: JsonPatch,
  }),
]);

/** How one version of a document is stored: a keyframe or a patch from its base version. */
export type DeltaEntry = v.InferOutput<typeof DeltaEntry>;

/** Reads the stored entry of a version, or `undefined` when there is none. */
export type DeltaLoader = (version: number) => DeltaEntry | undefined;

/** The asynchronous twin of {@link DeltaLoader}, for storage behind an `await`. */
export type AsyncDeltaLoader = (
  version: number,
) => Promise<DeltaEntry | undefined> | DeltaEntry | undefined;

/**
 * Chooses how to store a new version: a keyframe when it is the first, when its patch chain
 * would reach `keyframeInterval`, or when its patch is not smaller than the state itself;
 * otherwise the patch from `previous`.
 * @param previous the version to store it against (its parent) with its entry and state, if any
 * @param next the new version and its state
 * @param options `keyframeInterval`, the longest chain plus one (1 stores only keyframes),
 * `maxDepth` for the diff, and `stateLength`, the length of the state's JSON text when the
 * caller already has it (its canonical text serves): it spares a walk of the whole state
 * @returns the entry to store
 * @example
 * const first = encodeVersion(undefined, { version: 1, state: { n: 1 } }, { keyframeInterval: 8 });
 * encodeVersion({ entry: first, state: { n: 1 } }, { version: 2, state: { n: 2 } }, { keyframeInterval: 8 });
 * // { version: 2, kind: "patch", base: 1, chain: 1, patch: [{ op: "replace", path: "/n", value: 2 }] }
 */
export function encodeVersion(
  previous: { entry: DeltaEntry; state: JsonValue } | undefined,
  next: { version: number; state: JsonValue },
  options: { keyframeInterval: number; maxDepth?: number; stateLength?: number },
): DeltaEntry {
  const keyframe: DeltaEntry = { version: next.version, kind: "keyframe", state: next.state };
  if (previous === undefined) return keyframe;
  const chain = (previous.entry.kind === "keyframe" ? 0 : previous.entry.chain) + 1;
  if (chain >= options.keyframeInterval) return keyframe;
  const patch = diff(previous.state, next.state, options);
  const patchLength = JSON.stringify(patch).length;
  const larger =
    options.stateLength === undefined
      ? jsonLengthExceeds(next.state, patchLength)
      : options.stateLength > patchLength;
  if (!larger) return keyframe;
  return { version: next.version, kind: "patch", base: previous.entry.version, chain, patch };
}

/**
 * Rebuilds a version by following `base` links back to a keyframe and applying the patches on
 * the way forward, so it loads at most `keyframeInterval` entries.
 * @param target the version to rebuild
 * @param load reads a stored entry
 * @param options `maxDepth`, passed on to {@link applyPatch}
 * @returns the state of `target`
 * @throws ChorusError `NOT_FOUND` naming the first version missing from the chain;
 * `INTEGRITY_FAILED` when the chain loops or an entry is stored under the wrong version
 * @example
 * const state = reconstruct(42, (version) => entries.get(version));
 */
export function reconstruct(
  target: number,
  load: DeltaLoader,
  options: { maxDepth?: number } = {},
): JsonValue {
  const walk = walkChain(target, options);
  let step = walk.next();
  while (!step.done) step = walk.next(load(step.value));
  return step.value;
}

/**
 * The asynchronous twin of {@link reconstruct}, for storage that must be awaited.
 * @param target the version to rebuild
 * @param load reads a stored entry
 * @param options `maxDepth`, passed on to {@link applyPatch}
 * @returns the state of `target`
 * @throws ChorusError as {@link reconstruct} does
 * @example
 * const state = await reconstructAsync(42, (version) => store.get(version));
 */
export async function reconstructAsync(
  target: number,
  load: AsyncDeltaLoader,
  options: { maxDepth?: number } = {},
): Promise<JsonValue> {
  const walk = walkChain(target, options);
  let step = walk.next();
  while (!step.done) step = walk.next(await load(step.value));
  return step.value;
}

/** The chain walk shared by both drivers: yields each version it needs and receives its entry. */
function* walkChain(
  target: number,
  options: { maxDepth?: number },
): Generator<number, JsonValue, DeltaEntry | undefined> {
  const patches: JsonPatch[] = [];
  const visited = new Set<number>();
  for (let version = target; ; ) {
    if (visited.has(version)) {
      throw new ChorusError("INTEGRITY_FAILED", `the history of version ${target} loops`, {
        details: { version },
      });
    }
    visited.add(version);
    const entry = yield version;
    if (entry === undefined) {
      throw new ChorusError("NOT_FOUND", `version ${version} is not stored`, {
        details: { version },
      });
    }
    if (entry.version !== version) {
      throw new ChorusError(
        "INTEGRITY_FAILED",
        `version ${version} is stored as ${entry.version}`,
        {
          details: { version },
        },
      );
    }
    if (entry.kind === "keyframe") {
      return patches.reduceRight((state, patch) => applyPatch(state, patch, options), entry.state);
    }
    patches.push(entry.patch);
    version = entry.base;
  }
}

/** Whether `JSON.stringify(value)` is longer than `limit`, without serializing more than needed. */
function jsonLengthExceeds(value: JsonValue, limit: number): boolean {
  let length = 0;
  const stack: JsonValue[] = [value];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (Array.isArray(item)) {
      // Brackets plus the commas between elements.
      length += 1 + Math.max(item.length, 1);
      for (const element of item) stack.push(element);
    } else if (isJsonObject(item)) {
      const entries = Object.entries(item);
      length += 1 + Math.max(entries.length, 1);
      for (const [key, child] of entries) {
        length += JSON.stringify(key).length + 1;
        stack.push(child);
      }
    } else {
      length += JSON.stringify(item).length;
    }
    if (length > limit) return true;
  }
  return false;
}

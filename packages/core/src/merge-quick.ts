import { hasOwn, isJsonObject, type JsonObject } from "./json.ts";
import { jsonKind } from "./merge-check.ts";
import { sameItems } from "./same-items.ts";

/**
 * How deep the quick checks recurse before giving up. Deeper values take the stack-safe walk,
 * so a hostile document cannot overflow the call stack.
 */
const QUICK_DEPTH = 64;

// Stands for a member base does not have, so a missing member is never mistaken for a match.
const NOWHERE = Symbol("nowhere");

/**
 * Whether a value is a JSON string, boolean, null or finite number: valid with nothing inside.
 * @param value any value
 * @returns whether it is a JSON scalar
 * @example
 * isJsonScalar("a"); // true
 * isJsonScalar(Number.NaN); // false
 */
export function isJsonScalar(value: unknown): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value);
    default:
      return value === null;
  }
}

/**
 * The recursive, allocation-free fast path of `checkChange`: whether everything in `value` that
 * is not base's own reference is JSON within the depth limit. It answers only `true` for sure;
 * `false` means "not known", and the caller runs the full check, which finds and reports the
 * problem, so no error depends on this path.
 * @param value the value taken
 * @param base the value at the same place in base
 * @param depth how many containers lie above `value`
 * @param maxDepth the depth limit
 * @returns `true` when the value certainly passes
 * @example
 * changePasses({ a: [1] }, undefined, 0, 512); // true
 * changePasses({ a: Number.NaN }, undefined, 0, 512); // false: let the full check report it
 */
export function changePasses(
  value: unknown,
  base: unknown,
  depth: number,
  maxDepth: number,
): boolean {
  if (value === base || isJsonScalar(value)) return true;
  return passes(value, base, depth, Math.min(maxDepth, depth + QUICK_DEPTH));
}

// Whether a container that is not base's own reference passes. Scalars and shared members are
// settled in the loop, without a call: most members of a taken change are one or the other.
function passes(x: unknown, y: unknown, depth: number, limit: number): boolean {
  const kind = jsonKind(x);
  if ((kind !== "array" && kind !== "object") || depth >= limit) return false;
  if (Array.isArray(x)) {
    const other = Array.isArray(y) ? y : [];
    for (let i = 0; i < x.length; i++) {
      const member = x[i];
      if (isJsonScalar(member)) continue;
      const counterpart = i < other.length ? other[i] : NOWHERE;
      if (member !== counterpart && !passes(member, counterpart, depth + 1, limit)) return false;
    }
    return true;
  }
  const item = x as JsonObject;
  const other = isJsonObject(y) ? y : undefined;
  for (const key in item) {
    if (!hasOwn(item, key)) continue;
    const member = item[key];
    if (isJsonScalar(member)) continue;
    const counterpart = other !== undefined && hasOwn(other, key) ? other[key] : NOWHERE;
    if (member !== counterpart && !passes(member, counterpart, depth + 1, limit)) return false;
  }
  return true;
}

/**
 * The recursive fast path of `jsonEqual`. It visits pairs in exactly the
 * order `jsonEqual`'s stack does (array elements first to last, object members last to first,
 * each subtree before the next), so when it meets a difference first, `jsonEqual` would have
 * too; at a value that is not JSON, or at the depth limit, it gives up instead, and the caller
 * runs `jsonEqual`, which reports it.
 * @param a a value
 * @param b another
 * @param depth how many containers lie above them
 * @param maxDepth the depth limit
 * @returns whether they are equal, or `undefined` when the caller must run the full check
 * @example
 * quickEqual({ a: [1] }, { a: [1] }, 0, 512); // true
 * quickEqual([1, Number.NaN], [2, 0], 0, 512); // false: the first difference comes first
 * quickEqual([Number.NaN, 1], [0, 2], 0, 512); // undefined
 */
export function quickEqual(
  a: unknown,
  b: unknown,
  depth: number,
  maxDepth: number,
): boolean | undefined {
  return equal(a, b, depth, Math.min(maxDepth, depth + QUICK_DEPTH));
}

function equal(x: unknown, y: unknown, depth: number, limit: number): boolean | undefined {
  if (x === y) return true;
  const kind = jsonKind(x);
  const other = jsonKind(y);
  if (kind === undefined || other === undefined) return undefined;
  if (kind !== other || (kind !== "array" && kind !== "object")) return false;
  if (depth >= limit) return undefined;
  if (Array.isArray(x) && Array.isArray(y)) {
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) {
      if (x[i] === y[i]) continue;
      const same = equal(x[i], y[i], depth + 1, limit);
      if (same !== true) return same;
    }
    return true;
  }
  const left = x as Record<string, unknown>;
  const right = y as Record<string, unknown>;
  const keys = Object.keys(left);
  const rightKeys = Object.keys(right);
  if (keys.length !== rightKeys.length) return false;
  // Right lists the same keys in the same order (nearly always): its members line up with
  // left's by position, and it owns every key, so they are compared without keyed reads.
  if (sameItems(keys, rightKeys)) {
    const mine = Object.values(left);
    const theirs = Object.values(right);
    for (let i = mine.length - 1; i >= 0; i--) {
      if (mine[i] === theirs[i]) continue;
      const same = equal(mine[i], theirs[i], depth + 1, limit);
      if (same !== true) return same;
    }
    return true;
  }
  // jsonEqual first asks that right own every key, then compares last to first. Asking as it
  // goes answers the same: a missing key makes the answer false whatever came before it, and
  // whatever comes first in that order settles it when no key is missing.
  for (let i = keys.length - 1; i >= 0; i--) {
    const key = keys[i] as string;
    if (!hasOwn(right as JsonObject, key)) return false;
    if (left[key] === right[key]) continue;
    const same = equal(left[key], right[key], depth + 1, limit);
    if (same !== true) return same;
  }
  return true;
}

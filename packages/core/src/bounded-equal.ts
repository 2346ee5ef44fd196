import type { JsonValue } from "./json.ts";

// Object.hasOwn's older spelling: V8 turns it into a map check inside a `for…in` over the same
// object, where it costs nothing, and `for…in` reads members faster than a list of keys does.
const ownKey = Object.prototype.hasOwnProperty;

/**
 * Counts an object's own enumerable string keys (what `Object.keys` lists) without listing them.
 * @param object any object
 * @returns how many there are
 * @example
 * keyCount({ a: 1, b: 2 }); // 2
 */
export function keyCount(object: object): number {
  let count = 0;
  for (const key in object) if (ownKey.call(object, key)) count++;
  return count;
}

let nodesLeft = 0;

/**
 * Compares two JSON values by recursion, without allocating, for at most `maxNodes` containers
 * and `maxDepth` levels: the fast path for the common case of small, equal subtrees that share
 * no references (a document parsed from a request against the stored head). Beyond either
 * limit it gives up, so a caller falls back to its stack-safe walk and a hostile document can
 * neither overflow the stack nor make a failed check cost more than a bounded amount.
 * @param a one value
 * @param b the other
 * @param maxDepth the deepest container level to enter
 * @param maxNodes how many containers to enter at most
 * @returns whether they are equal, or `undefined` when a limit was reached first
 * @example
 * boundedEqual({ a: [1] }, { a: [1] }, 8, 64); // true
 */
export function boundedEqual(
  a: JsonValue,
  b: JsonValue,
  maxDepth: number,
  maxNodes: number,
): boolean | undefined {
  nodesLeft = maxNodes;
  return equalWithin(a, b, maxDepth);
}

function equalWithin(x: JsonValue, y: JsonValue, depth: number): boolean | undefined {
  if (x === y) return true;
  if (typeof x !== "object" || typeof y !== "object" || x === null || y === null) return false;
  if (depth <= 0 || nodesLeft-- <= 0) return undefined;
  if (Array.isArray(x)) {
    if (!Array.isArray(y) || x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) {
      const same = equalWithin(x[i] as JsonValue, y[i] as JsonValue, depth - 1);
      if (same !== true) return same;
    }
    return true;
  }
  if (Array.isArray(y)) return false;
  if (keyCount(x) !== keyCount(y)) return false;
  for (const key in x) {
    if (!ownKey.call(x, key)) continue;
    const value = y[key];
    // An inherited member (`constructor`, say) is never a JSON value: only own keys can match.
    if (value === undefined || !ownKey.call(y, key)) return false;
    const same = equalWithin(x[key] as JsonValue, value, depth - 1);
    if (same !== true) return same;
  }
  return true;
}

let oursLeft = 0;
let theirsLeft = 0;

/**
 * Whether two values both equal a third, by the rules and within the limits of
 * {@link boundedEqual} applied to each (each gets its own `maxNodes`). It walks `base` once and
 * compares both at each step, so the side that differs near the top settles the answer before
 * the other is walked deep: the usual merge, where one side appended to a list, is settled
 * at the list's length.
 * @param base the value both are compared with
 * @param ours one value
 * @param theirs the other
 * @param maxDepth the deepest container level to enter
 * @param maxNodes how many containers to enter at most, on each side
 * @returns `true` when `boundedEqual` would answer `true` for both; `false` otherwise
 * @example
 * boundedEqualBoth([1], [1], [1, 2], 8, 64); // false
 */
export function boundedEqualBoth(
  base: JsonValue,
  ours: JsonValue,
  theirs: JsonValue,
  maxDepth: number,
  maxNodes: number,
): boolean {
  oursLeft = maxNodes;
  theirsLeft = maxNodes;
  return bothWithin(base, ours, theirs, maxDepth);
}

// Whether a side that is not base's own reference can still equal it, and enters it.
function entersAlike(side: JsonValue, base: JsonValue): boolean {
  if (typeof side !== "object" || typeof base !== "object" || side === null || base === null) {
    return false;
  }
  if (Array.isArray(base)) return Array.isArray(side) && side.length === base.length;
  return !Array.isArray(side);
}

function bothWithin(base: JsonValue, ours: JsonValue, theirs: JsonValue, depth: number): boolean {
  const oursDiffers = ours !== base;
  const theirsDiffers = theirs !== base;
  if (!oursDiffers && !theirsDiffers) return true;
  if (depth <= 0) return false;
  if (oursDiffers && (!entersAlike(ours, base) || oursLeft-- <= 0)) return false;
  if (theirsDiffers && (!entersAlike(theirs, base) || theirsLeft-- <= 0)) return false;
  if (Array.isArray(base)) {
    const o = ours as JsonValue[];
    const t = theirs as JsonValue[];
    for (let i = 0; i < base.length; i++) {
      const b = base[i] as JsonValue;
      const oi = oursDiffers ? (o[i] as JsonValue) : b;
      const ti = theirsDiffers ? (t[i] as JsonValue) : b;
      if (oi === b && ti === b) continue;
      if (!bothWithin(b, oi, ti, depth - 1)) return false;
    }
    return true;
  }
  const b = base as { [key: string]: JsonValue };
  const o = ours as { [key: string]: JsonValue };
  const t = theirs as { [key: string]: JsonValue };
  let keys = 0;
  for (const key in b) {
    if (!ownKey.call(b, key)) continue;
    keys++;
    const value = b[key];
    // As in boundedEqual, an own member of base that reads as undefined is never equal, and
    // only own members of a side can match.
    if (value === undefined) return false;
    const oursValue = oursDiffers ? o[key] : value;
    if (oursValue === undefined || (oursDiffers && !ownKey.call(o, key))) return false;
    const theirsValue = theirsDiffers ? t[key] : value;
    if (theirsValue === undefined || (theirsDiffers && !ownKey.call(t, key))) return false;
    if (oursValue === value && theirsValue === value) continue;
    if (!bothWithin(value, oursValue, theirsValue, depth - 1)) return false;
  }
  // Each side owns every key of base; it is equal only if it has no others. Counted last, as
  // most differences show up in the members first.
  if (oursDiffers && keyCount(o) !== keys) return false;
  return !theirsDiffers || keyCount(t) === keys;
}

import { hasOwn, isJsonObject, type JsonValue } from "./json.ts";
import { type JsonSite, jsonKind, refuseNonJson, refuseTooDeep } from "./merge-check.ts";
import { changePasses, isJsonScalar, quickEqual } from "./merge-quick.ts";
import { formatPointer } from "./pointer.ts";

// One pair still to compare; `parent` and `token` rebuild its path only when an error needs it.
interface Pair {
  readonly a: unknown;
  readonly b: unknown;
  readonly depth: number;
  readonly token: string;
  readonly parent: Pair | undefined;
}

function pathOf(pair: Pair, root: string): string {
  return root + formatPointer(tokensOf(lineOf(pair)));
}

// The pairs from where the walk started down to this one.
function lineOf(pair: Pair): Pair[] {
  const line: Pair[] = [];
  for (let at: Pair | undefined = pair; at !== undefined; at = at.parent) line.push(at);
  return line.reverse();
}

// The tokens below where the walk started (the first pair has none).
function tokensOf(line: readonly Pair[]): string[] {
  return line.slice(1).map((at) => at.token);
}

function refuseDeepPair(pair: Pair, sides: ReadonlyArray<"a" | "b">, site: JsonSite): never {
  const line = lineOf(pair);
  const lines = sides.map((side) => line.map((at) => at[side]));
  refuseTooDeep(lines, tokensOf(line), site.path, site.maxDepth);
}

// Stands for a member base does not have, so a missing member is never mistaken for a match.
const NOWHERE = Symbol("nowhere");

/**
 * Checks a change taken from one side: everything in `value` except what is the same reference
 * as the value at the same place in `base`. Data shared with base is trusted as far as base is,
 * so taking a small edit to a large document costs little more than the edit.
 * @param value the value taken
 * @param base the value at the same place in base (anything, `ABSENT` included)
 * @param site where the value sits
 * @throws ChorusError `INVALID_JSON` or `TOO_DEEP`, naming the offending path
 * @example
 * const rows = [{ n: 1 }];
 * checkChange({ rows, n: 2 }, { rows, n: 1 }, { path: "", depth: 0, maxDepth: 512 }); // rows skipped
 */
export function checkChange(
  value: unknown,
  base: unknown,
  site: JsonSite,
): asserts value is JsonValue {
  if (changePasses(value, base, site.depth, site.maxDepth)) return;
  const stack: Pair[] = [{ a: value, b: base, depth: site.depth, token: "", parent: undefined }];
  for (let pair = stack.pop(); pair !== undefined; pair = stack.pop()) {
    const { a: x, b: y, depth } = pair;
    if (x === y) continue;
    const kind = jsonKind(x);
    if (kind === undefined) refuseNonJson(x, pathOf(pair, site.path));
    if (kind !== "array" && kind !== "object") continue;
    if (depth >= site.maxDepth) refuseDeepPair(pair, ["a"], site);
    // A member that is a JSON scalar or the same reference as base's passes without a pair
    // of its own: popped, it would be skipped anyway, so the order of any error is unchanged.
    if (Array.isArray(x)) {
      const other = Array.isArray(y) ? y : [];
      for (let i = 0; i < x.length; i++) {
        const member = x[i];
        if (isJsonScalar(member) || (i < other.length && member === other[i])) continue;
        const counterpart = i < other.length ? other[i] : NOWHERE;
        stack.push({ a: member, b: counterpart, depth: depth + 1, token: String(i), parent: pair });
      }
    } else if (isJsonObject(x)) {
      const other = isJsonObject(y) ? y : undefined;
      for (const key of Object.keys(x)) {
        const member = x[key];
        if (isJsonScalar(member)) continue;
        const counterpart = other !== undefined && hasOwn(other, key) ? other[key] : NOWHERE;
        if (member === counterpart) continue;
        stack.push({ a: member, b: counterpart, depth: depth + 1, token: key, parent: pair });
      }
    }
  }
}

/**
 * Structural equality of two values (object key order ignored), without recursion. Identical
 * references are equal without being entered; everything entered is checked to be JSON, and
 * nesting is bounded, so a cycle or hostile depth is refused rather than looping.
 * @param a a JSON value
 * @param b another
 * @param at where the values sit, for error paths and the depth limit
 * @returns whether they are equal
 * @throws ChorusError `INVALID_JSON` or `TOO_DEEP` naming the path of the offending value
 * @example
 * jsonEqual({ a: [1] }, { a: [1] }, { path: "", depth: 0, maxDepth: 512 }); // true
 */
export function jsonEqual(a: JsonValue, b: JsonValue, at: JsonSite): boolean {
  // Arrays of different lengths differ without being entered (the answer every path below
  // gives); only at the depth limit is TOO_DEEP reported first.
  if (Array.isArray(a) && Array.isArray(b) && a.length !== b.length && at.depth < at.maxDepth) {
    return false;
  }
  const quick = quickEqual(a, b, at.depth, at.maxDepth);
  if (quick !== undefined) return quick;
  const stack: Pair[] = [{ a, b, depth: at.depth, token: "", parent: undefined }];
  for (let pair = stack.pop(); pair !== undefined; pair = stack.pop()) {
    const { a: x, b: y, depth } = pair;
    if (x === y) continue;
    const kind = jsonKind(x);
    const other = jsonKind(y);
    if (kind === undefined) refuseNonJson(x, pathOf(pair, at.path));
    if (other === undefined) refuseNonJson(y, pathOf(pair, at.path));
    // Distinct primitives, or values of different types.
    if (kind !== other || (kind !== "array" && kind !== "object")) return false;
    if (depth >= at.maxDepth) refuseDeepPair(pair, ["a", "b"], at);
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) return false;
      // Elements shared by reference are equal without a pair of their own. Pushed last to
      // first, so the walk compares first to last and an early difference ends it early.
      for (let i = x.length - 1; i >= 0; i--) {
        if (x[i] === y[i]) continue;
        stack.push({ a: x[i], b: y[i], depth: depth + 1, token: String(i), parent: pair });
      }
    } else if (isJsonObject(x) && isJsonObject(y)) {
      const keys = Object.keys(x);
      if (keys.length !== Object.keys(y).length) return false;
      for (const key of keys) {
        if (!hasOwn(y, key)) return false;
        if (x[key] === y[key]) continue;
        stack.push({ a: x[key], b: y[key], depth: depth + 1, token: key, parent: pair });
      }
    }
  }
  return true;
}

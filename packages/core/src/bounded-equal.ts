import type { JsonValue } from "./json.ts";

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
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (const key of keys) {
    const value = y[key];
    // An inherited member (`constructor`, say) is never a JSON value: only own keys can match.
    if (value === undefined || !Object.hasOwn(y, key)) return false;
    const same = equalWithin(x[key] as JsonValue, value, depth - 1);
    if (same !== true) return same;
  }
  return true;
}

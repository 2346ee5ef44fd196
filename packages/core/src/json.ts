import { boundedEqual } from "./bounded-equal.ts";
import { ChorusError } from "./errors.ts";

/** Any JSON value. */
export type JsonValue = null | boolean | number | string | JsonArray | JsonObject;
// Interfaces, not type aliases, for the recursive members: TypeScript expands them lazily, so
// mapped types over JSON (such as Workers RPC stub types) do not recurse without end.
/** A JSON array. */
export interface JsonArray extends Array<JsonValue> {}
/** A JSON object. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Nesting deeper than this is refused with `TOO_DEEP` unless a caller sets its own limit. */
export const DEFAULT_MAX_DEPTH = 512;

/**
 * @param value any value
 * @returns whether it is a JSON object (not null, not an array)
 */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Sets an own data property, even for `__proto__`, where plain assignment would change the
 * object's prototype instead of storing data.
 * @param target the object to write
 * @param key the property name
 * @param value the value
 */
export function setOwn(target: JsonObject, key: string, value: JsonValue): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}

/**
 * @param target an object
 * @param key a property name
 * @returns whether `key` is the object's own property (`constructor` on `{}` is not)
 */
export function hasOwn(target: JsonObject, key: string): boolean {
  // Not Object.hasOwn: V8 reduces this spelling to a map check inside a `for…in` over `target`.
  return ownProperty.call(target, key);
}

const ownProperty = Object.prototype.hasOwnProperty;

/**
 * Checks that a value is plain JSON data no deeper than `maxDepth`, without recursion, so a
 * hostile 10,000-level document is refused rather than overflowing the stack.
 * @param value the value to check
 * @param options `maxDepth` (default {@link DEFAULT_MAX_DEPTH}) and `path`, the pointer the value sits at
 * @throws ChorusError `INVALID_JSON` (not JSON data) or `TOO_DEEP`, naming the offending path
 */
export function assertJson(
  value: unknown,
  options: { maxDepth?: number; path?: string } = {},
): asserts value is JsonValue {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  // Depth-first with an explicit stack; `leave` entries close a container, so `ancestors` holds
  // exactly the containers above the current value: a repeat among them is a cycle, while a
  // subtree shared by two branches (a JSON Patch `copy` under structural sharing) is fine.
  type Frame = { value: unknown; path: string; depth: number } | { leave: object };
  const stack: Frame[] = [{ value, path: options.path ?? "", depth: 0 }];
  const ancestors = new Set<object>();
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    if ("leave" in frame) {
      ancestors.delete(frame.leave);
      continue;
    }
    const current = frame.value;
    if (current === null || typeof current === "string" || typeof current === "boolean") continue;
    if (typeof current === "number") {
      if (!Number.isFinite(current)) {
        throw new ChorusError("INVALID_JSON", `${current} is not a JSON number`, {
          path: frame.path,
        });
      }
      continue;
    }
    if (typeof current !== "object") {
      throw new ChorusError("INVALID_JSON", `a ${typeof current} is not JSON`, {
        path: frame.path,
      });
    }
    if (ancestors.has(current)) {
      throw new ChorusError("INVALID_JSON", "the value contains a cycle", { path: frame.path });
    }
    if (frame.depth >= maxDepth) {
      throw new ChorusError("TOO_DEEP", `nesting exceeds the limit of ${maxDepth} levels`, {
        path: frame.path,
      });
    }
    const proto = Object.getPrototypeOf(current);
    if (!Array.isArray(current) && proto !== Object.prototype && proto !== null) {
      throw new ChorusError("INVALID_JSON", "only plain objects and arrays are JSON", {
        path: frame.path,
      });
    }
    ancestors.add(current);
    stack.push({ leave: current });
    const depth = frame.depth + 1;
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) {
        if (!(i in current)) {
          throw new ChorusError("INVALID_JSON", "sparse arrays are not JSON", {
            path: `${frame.path}/${i}`,
          });
        }
        stack.push({ value: current[i], path: `${frame.path}/${i}`, depth });
      }
    } else {
      for (const [key, child] of Object.entries(current)) {
        stack.push({ value: child, path: `${frame.path}/${escapeKey(key)}`, depth });
      }
    }
  }
}

function escapeKey(key: string): string {
  return key.replaceAll("~", "~0").replaceAll("/", "~1");
}

/** Limits of deepEqual's fast path: beyond them it walks its own stack. */
const QUICK_DEPTH = 64;
const QUICK_NODES = 4096;

/**
 * Structural equality of two JSON values (object key order ignored), safe for any depth.
 * @param a a JSON value
 * @param b another
 * @returns whether they are equal
 * @example
 * deepEqual({ a: [1, 2] }, { a: [1, 2] }); // true
 */
export function deepEqual(a: JsonValue, b: JsonValue): boolean {
  // Recursion without allocation settles most comparisons; only huge or deep values take the
  // stack-safe walk below.
  const quick = boundedEqual(a, b, QUICK_DEPTH, QUICK_NODES);
  if (quick !== undefined) return quick;
  const pairs: Array<[JsonValue, JsonValue]> = [[a, b]];
  for (let pair = pairs.pop(); pair !== undefined; pair = pairs.pop()) {
    const [x, y] = pair;
    if (x === y) continue;
    if (typeof x !== "object" || typeof y !== "object" || x === null || y === null) return false;
    if (Array.isArray(x)) {
      if (!Array.isArray(y) || x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) pairs.push([x[i] as JsonValue, y[i] as JsonValue]);
      continue;
    }
    if (Array.isArray(y)) return false;
    const keys = Object.keys(x);
    if (keys.length !== Object.keys(y).length) return false;
    for (const key of keys) {
      if (!Object.hasOwn(y, key)) return false;
      pairs.push([x[key] as JsonValue, y[key] as JsonValue]);
    }
  }
  return true;
}

import { hasOwn, type JsonObject, type JsonValue } from "./json.ts";

/** Marks a side on which a value does not exist: deleted, or never added. */
export const ABSENT: unique symbol = Symbol("absent");

/** One side's value at a path in a three-way merge, or {@link ABSENT}. */
export type Side = JsonValue | typeof ABSENT;

/**
 * Reads a member as a side: own members only, so `constructor` on `{}` is absent.
 * @param object the object
 * @param key the member name
 * @returns the member's value, or {@link ABSENT}
 * @example
 * slot({ a: 1 }, "a"); // 1
 * slot({}, "constructor"); // ABSENT
 */
export function slot(object: JsonObject, key: string): Side {
  return hasOwn(object, key) ? (object[key] as JsonValue) : ABSENT;
}

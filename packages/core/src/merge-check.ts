import { ChorusError } from "./errors.ts";
import { assertJson, type JsonValue } from "./json.ts";
import { formatPointer } from "./pointer.ts";

/** The type of a JSON value. */
export type JsonKind = "null" | "boolean" | "number" | "string" | "array" | "object";

/**
 * Classifies one value without looking inside it, under the same rules as `assertJson`.
 * @param value any value
 * @returns its JSON type, or `undefined` when it is not JSON (undefined, NaN, a Date, …)
 * @example
 * jsonKind([1]); // "array"
 * jsonKind(Number.NaN); // undefined
 */
export function jsonKind(value: unknown): JsonKind | undefined {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return "boolean";
    case "string":
      return "string";
    case "number":
      return Number.isFinite(value) ? "number" : undefined;
    case "object": {
      if (Array.isArray(value)) return "array";
      const proto = Object.getPrototypeOf(value);
      return proto === Object.prototype || proto === null ? "object" : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Throws the error `assertJson` gives for a value {@link jsonKind} refused, so every part of
 * core words the problem alike.
 * @param value a value that is not JSON
 * @param path the pointer it sits at
 * @throws ChorusError `INVALID_JSON` naming the path, always
 */
export function refuseNonJson(value: unknown, path: string): never {
  assertJson(value, { path });
  throw new ChorusError("INVALID_JSON", "the value is not JSON", { path });
}

/**
 * Reports a walk that reached the depth limit. A cycle deepens a walk without end, so each line
 * of ancestors is first searched for a container met twice, which is reported as `INVALID_JSON`
 * at the shallower of the two rather than as `TOO_DEEP`.
 * @param lines per side walked, its containers from where the walk started down to the current
 * @param tokens the path from where the walk started to the current container
 * @param root the pointer where the walk started
 * @param maxDepth the limit, for the message
 * @throws ChorusError `INVALID_JSON` for a cycle, else `TOO_DEEP`, naming the path
 * @example
 * refuseTooDeep([[{}, {}]], ["a"], "/doc", 1); // throws TOO_DEEP at /doc/a
 */
export function refuseTooDeep(
  lines: ReadonlyArray<readonly unknown[]>,
  tokens: readonly string[],
  root: string,
  maxDepth: number,
): never {
  for (const line of lines) {
    const seen = new Set<unknown>();
    for (let i = 0; i < line.length; i++) {
      if (seen.has(line[i])) {
        const path = root + formatPointer(tokens.slice(0, i));
        throw new ChorusError("INVALID_JSON", "the value contains a cycle", { path });
      }
      seen.add(line[i]);
    }
  }
  const path = root + formatPointer(tokens);
  throw new ChorusError("TOO_DEEP", `nesting exceeds the limit of ${maxDepth} levels`, { path });
}

/** Where a value sits in a merge: its pointer, its depth and the depth limit. */
export interface JsonSite {
  readonly path: string;
  readonly depth: number;
  readonly maxDepth: number;
}

/**
 * Checks a value that goes into a merge's result or a conflict, against the depth left at its
 * site, reporting the limit as the whole document's.
 * @param value the value
 * @param site where it sits
 * @throws ChorusError `INVALID_JSON` or `TOO_DEEP`, naming the offending path
 * @example
 * checkJsonAt({ b: [1] }, { path: "/a", depth: 1, maxDepth: 512 });
 */
export function checkJsonAt(value: unknown, site: JsonSite): asserts value is JsonValue {
  try {
    assertJson(value, { path: site.path, maxDepth: site.maxDepth - site.depth });
  } catch (error) {
    if (!(error instanceof ChorusError && error.code === "TOO_DEEP")) throw error;
    throw new ChorusError("TOO_DEEP", `nesting exceeds the limit of ${site.maxDepth} levels`, {
      path: error.path ?? site.path,
    });
  }
}

import { ChorusError } from "./errors.ts";
import { isJsonObject, type JsonValue } from "./json.ts";

/**
 * Splits a JSON Pointer (RFC 6901) into its unescaped reference tokens.
 * @param pointer e.g. `/tasks/t1/status`; `""` is the whole document
 * @returns the tokens, e.g. `["tasks", "t1", "status"]`
 * @throws ChorusError `INVALID_POINTER` when it is not empty and does not start with `/`, or has a bad `~` escape
 * @example
 * parsePointer("/a~1b/m~0n"); // ["a/b", "m~n"]
 */
export function parsePointer(pointer: string): string[] {
  if (typeof pointer !== "string") {
    throw new ChorusError("INVALID_POINTER", "a JSON Pointer must be a string");
  }
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) {
    throw new ChorusError("INVALID_POINTER", `JSON Pointer "${pointer}" must start with "/"`, {
      path: pointer,
    });
  }
  if (/~[^01]|~$/.test(pointer)) {
    throw new ChorusError(
      "INVALID_POINTER",
      `JSON Pointer "${pointer}" has a "~" not followed by 0 or 1`,
      {
        path: pointer,
      },
    );
  }
  return pointer.slice(1).split("/").map(unescapeToken);
}

/**
 * Joins tokens into a JSON Pointer, escaping `~` and `/`.
 * @param tokens unescaped reference tokens
 * @returns the pointer
 * @example
 * formatPointer(["a/b", "m~n"]); // "/a~1b/m~0n"
 */
export function formatPointer(tokens: readonly string[]): string {
  let pointer = "";
  for (const token of tokens) pointer += `/${escapeToken(token)}`;
  return pointer;
}

/**
 * @param token an unescaped reference token
 * @returns it escaped for a pointer
 */
export function escapeToken(token: string): string {
  return token.includes("~") || token.includes("/")
    ? token.replaceAll("~", "~0").replaceAll("/", "~1")
    : token;
}

/**
 * @param token an escaped reference token
 * @returns it unescaped
 */
export function unescapeToken(token: string): string {
  // RFC 6901 §4: decode ~1 before ~0, so "~01" becomes "~1" and not "/".
  return token.includes("~") ? token.replaceAll("~1", "/").replaceAll("~0", "~") : token;
}

/**
 * Parses an array index token (RFC 6901 §4: digits without leading zeros).
 * @param token the token
 * @returns the index, or `undefined` when the token is not an index
 */
export function arrayIndex(token: string): number | undefined {
  if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
  const index = Number(token);
  return Number.isSafeInteger(index) ? index : undefined;
}

function child(container: JsonValue, token: string): { found: boolean; value?: JsonValue } {
  if (Array.isArray(container)) {
    const index = arrayIndex(token);
    if (index === undefined || index >= container.length) return { found: false };
    return { found: true, value: container[index] as JsonValue };
  }
  if (isJsonObject(container) && Object.hasOwn(container, token)) {
    return { found: true, value: container[token] as JsonValue };
  }
  return { found: false };
}

/**
 * Reads the value a pointer refers to.
 * @param document a JSON document
 * @param pointer a JSON Pointer string or its tokens
 * @returns the value
 * @throws ChorusError `NOT_FOUND` naming the pointer when nothing is there
 * @example
 * getAt({ tasks: { t1: { status: "done" } } }, "/tasks/t1/status"); // "done"
 */
export function getAt(document: JsonValue, pointer: string | readonly string[]): JsonValue {
  const tokens = typeof pointer === "string" ? parsePointer(pointer) : pointer;
  let current = document;
  for (let i = 0; i < tokens.length; i++) {
    const next = child(current, tokens[i] as string);
    if (!next.found) {
      const path = formatPointer(tokens);
      throw new ChorusError("NOT_FOUND", `nothing at ${path || '""'}`, { path });
    }
    current = next.value as JsonValue;
  }
  return current;
}

/**
 * @param document a JSON document
 * @param pointer a JSON Pointer string or its tokens
 * @returns whether a value exists at the pointer
 */
export function hasAt(document: JsonValue, pointer: string | readonly string[]): boolean {
  const tokens = typeof pointer === "string" ? parsePointer(pointer) : pointer;
  let current = document;
  for (const token of tokens) {
    const next = child(current, token);
    if (!next.found) return false;
    current = next.value as JsonValue;
  }
  return true;
}

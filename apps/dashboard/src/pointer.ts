import type { JsonValue } from "@chorus/core";

/**
 * The JSON Pointer of a child (RFC 6901 §3: `~` as `~0`, `/` as `~1`).
 * @param parent the parent's pointer (`""` for the root)
 * @param key the member name or index
 * @returns the child's pointer
 */
export function childPointer(parent: string, key: string | number): string {
  return `${parent}/${String(key).replaceAll("~", "~0").replaceAll("/", "~1")}`;
}

/**
 * The value at a pointer, or `undefined` where there is none.
 * @param document the JSON document
 * @param pointer an RFC 6901 pointer
 * @returns the value
 */
export function valueAt(document: JsonValue | undefined, pointer: string): JsonValue | undefined {
  if (pointer === "") return document;
  let current: JsonValue | undefined = document;
  // RFC 6901 §4: decode ~1 before ~0.
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (current === null || typeof current !== "object") return undefined;
    current = Array.isArray(current) ? current[Number(key)] : current[key];
  }
  return current;
}

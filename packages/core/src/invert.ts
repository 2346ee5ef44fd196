import { hasOwn, isJsonObject, type JsonValue } from "./json.ts";
import type { JsonPatch, JsonPatchOperation } from "./json-patch.ts";
import { applyPatch } from "./patch.ts";
import { formatPointer, getAt, parsePointer } from "./pointer.ts";

/**
 * Computes the patch that undoes `patch`, given the document it applies to: the old values it
 * needs are read by replaying the patch one operation at a time, which structural sharing in
 * {@link applyPatch} keeps cheap.
 * @param before the document the patch applies to
 * @param patch the patch to undo
 * @param options `maxDepth`, passed on to {@link applyPatch}
 * @returns a patch taking `applyPatch(before, patch)` back to `before`
 * @throws ChorusError whatever `applyPatch(before, patch)` throws
 * @example
 * invertPatch({ status: "todo" }, [{ op: "replace", path: "/status", value: "done" }]);
 * // [{ op: "replace", path: "/status", value: "todo" }]
 */
export function invertPatch(
  before: JsonValue,
  patch: JsonPatch,
  options: { maxDepth?: number } = {},
): JsonPatch {
  // Applying the whole patch first reports a bad operation with its real index.
  applyPatch(before, patch, options);
  const undo: JsonPatch[] = [];
  let current = before;
  for (const operation of patch) {
    undo.push(inverseOf(current, operation));
    current = applyPatch(current, [operation], options);
  }
  return undo.reverse().flat();
}

function inverseOf(document: JsonValue, operation: JsonPatchOperation): JsonPatch {
  switch (operation.op) {
    case "test":
      return [];
    case "add":
    case "copy":
      return inverseOfAdd(document, operation.path);
    case "remove":
      return [{ op: "add", path: operation.path, value: getAt(document, operation.path) }];
    case "replace":
      return [{ op: "replace", path: operation.path, value: getAt(document, operation.path) }];
    case "move":
      return inverseOfMove(document, operation.from, operation.path);
  }
}

/** Undoes an `add` at `path` on `document`: restore what it overwrote, or remove what it put. */
function inverseOfAdd(document: JsonValue, path: string): JsonPatch {
  const tokens = parsePointer(path);
  const key = tokens.pop();
  if (key === undefined) return [{ op: "replace", path: "", value: document }];
  const parent = getAt(document, tokens);
  if (Array.isArray(parent)) {
    // "-" appended, so the value landed at the old length.
    const index = key === "-" ? parent.length : Number(key);
    return [{ op: "remove", path: formatPointer([...tokens, String(index)]) }];
  }
  if (isJsonObject(parent) && hasOwn(parent, key)) {
    return [{ op: "replace", path, value: getAt(parent, [key]) }];
  }
  return [{ op: "remove", path }];
}

/** Undoes a `move`, the `remove` at `from` followed by an `add` at `path` (RFC 6902 §4.4). */
function inverseOfMove(document: JsonValue, from: string, path: string): JsonPatch {
  if (from === path) return [];
  const moved = getAt(document, from);
  const removed = applyPatch(document, [{ op: "remove", path: from }]);
  const undoAdd = inverseOfAdd(removed, path);
  const [only] = undoAdd;
  // Moving back is enough unless the move overwrote a value, or moving back would move a
  // location into its own child, which RFC 6902 forbids even where it would be harmless.
  if (undoAdd.length === 1 && only?.op === "remove" && !isProperPrefix(only.path, from)) {
    return [{ op: "move", from: only.path, path: from }];
  }
  return [...undoAdd, { op: "add", path: from, value: moved }];
}

function isProperPrefix(prefix: string, pointer: string): boolean {
  return pointer.startsWith(`${prefix}/`);
}

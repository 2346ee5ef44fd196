import { ChorusError, type ErrorCode } from "./errors.ts";
import {
  assertJson,
  DEFAULT_MAX_DEPTH,
  deepEqual,
  hasOwn,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  setOwn,
} from "./json.ts";
import type { JsonPatch, JsonPatchOperation } from "./json-patch.ts";
import { arrayIndex, parsePointer } from "./pointer.ts";

type Container = JsonValue[] | JsonObject;

// The members each operation requires (RFC 6902 §4); anything else on an operation is ignored.
const REQUIRED_MEMBERS: Record<string, readonly string[]> = {
  add: ["path", "value"],
  remove: ["path"],
  replace: ["path", "value"],
  move: ["from", "path"],
  copy: ["from", "path"],
  test: ["path", "value"],
};

/**
 * Applies a JSON Patch (RFC 6902) atomically, without touching the input: only the containers
 * along each written path are copied (each at most once per call, unless a `copy` intervenes),
 * and everything else is shared with the input, so a small patch on a large document costs
 * microseconds.
 *
 * Values taken from the patch are depth-checked but inserted as they are, not cloned: Chorus
 * treats every document and patch as immutable, and this function never writes into a container
 * it did not create itself, so sharing them is safe.
 * @param document the document; never mutated
 * @param patch the operations, applied in order
 * @param options `maxDepth`, the nesting limit of the result (default {@link DEFAULT_MAX_DEPTH})
 * @returns the patched document
 * @throws ChorusError `INVALID_PATCH` (malformed operation or missing target),
 * `PATCH_TEST_FAILED` (a `test` did not hold), `TOO_DEEP` or `INVALID_JSON` (a bad value); its
 * `path` is the failing operation's pointer into the document and `details.index` its position
 * @example
 * applyPatch({ status: "todo" }, [{ op: "replace", path: "/status", value: "done" }]);
 * // { status: "done" }
 */
export function applyPatch(
  document: JsonValue,
  patch: JsonPatch,
  options: { maxDepth?: number } = {},
): JsonValue {
  if (!Array.isArray(patch)) {
    throw new ChorusError("INVALID_PATCH", "a JSON Patch must be an array of operations");
  }
  const draft = new Draft(document, options.maxDepth ?? DEFAULT_MAX_DEPTH);
  patch.forEach((operation: unknown, index) => {
    draft.apply(operation, index);
  });
  return draft.root;
}

/** The document being patched, and the containers this run has copied and may therefore write. */
class Draft {
  root: JsonValue;
  readonly #owned = new Set<object>();
  readonly #maxDepth: number;
  #index = 0;
  #pointer: string | undefined;

  constructor(root: JsonValue, maxDepth: number) {
    this.root = root;
    this.#maxDepth = maxDepth;
  }

  apply(operation: unknown, index: number): void {
    this.#index = index;
    this.#pointer = undefined;
    const op = this.#checkShape(operation);
    const path = this.#tokens(op.path);
    switch (op.op) {
      case "add":
        this.#add(path, this.#checkValue(op.value, path));
        break;
      case "remove":
        this.#remove(path);
        break;
      case "replace":
        this.#replace(path, this.#checkValue(op.value, path));
        break;
      case "test":
        this.#test(path, this.#checkValue(op.value, path));
        break;
      default:
        this.#transfer(op, this.#tokens(op.from), path);
    }
  }

  #checkShape(operation: unknown): JsonPatchOperation {
    if (!isJsonObject(operation)) {
      throw this.#fail("INVALID_PATCH", "an operation must be an object");
    }
    if (typeof operation.path === "string") this.#pointer = operation.path;
    const required = typeof operation.op === "string" ? REQUIRED_MEMBERS[operation.op] : undefined;
    if (required === undefined) {
      throw this.#fail(
        "INVALID_PATCH",
        `unknown op ${JSON.stringify(operation.op) ?? "undefined"}`,
      );
    }
    for (const member of required) {
      const present = hasOwn(operation, member) && operation[member] !== undefined;
      if (!present || (member !== "value" && typeof operation[member] !== "string")) {
        throw this.#fail("INVALID_PATCH", `"${operation.op}" needs a "${member}" member`);
      }
    }
    // The members required by `op` were just checked, which is all the type promises.
    return operation as unknown as JsonPatchOperation;
  }

  #tokens(pointer: string): string[] {
    try {
      return parsePointer(pointer);
    } catch (error) {
      this.#pointer = pointer;
      throw this.#fail("INVALID_PATCH", `"${pointer}" is not a JSON Pointer`, error);
    }
  }

  #checkValue(value: JsonValue, path: readonly string[]): JsonValue {
    // The value will sit under `path.length` containers, so that much of the budget is spent.
    assertJson(value, { maxDepth: this.#maxDepth - path.length, path: this.#pointer ?? "" });
    return value;
  }

  #add(path: readonly string[], value: JsonValue): void {
    const parent = this.#parentForWrite(path);
    if (parent === undefined) {
      this.root = value;
    } else if (Array.isArray(parent.container)) {
      const { container, key } = parent;
      // RFC 6902 §4.1: "-" appends; an index may equal the length but not exceed it.
      const index = key === "-" ? container.length : arrayIndex(key);
      if (index === undefined || index > container.length) {
        throw this.#fail("INVALID_PATCH", `index ${key} is out of range`);
      }
      container.splice(index, 0, value);
    } else {
      setOwn(parent.container, parent.key, value);
    }
  }

  #remove(path: readonly string[]): JsonValue {
    const parent = this.#parentForWrite(path);
    if (parent === undefined) throw this.#fail("INVALID_PATCH", "cannot remove the whole document");
    const { container, key } = parent;
    const removed = childOf(container, key);
    if (removed === undefined) throw this.#fail("INVALID_PATCH", "there is nothing to remove");
    if (Array.isArray(container)) container.splice(Number(key), 1);
    else delete container[key];
    return removed;
  }

  #replace(path: readonly string[], value: JsonValue): void {
    const parent = this.#parentForWrite(path);
    if (parent === undefined) {
      this.root = value;
      return;
    }
    const { container, key } = parent;
    if (childOf(container, key) === undefined) {
      throw this.#fail("INVALID_PATCH", "there is nothing to replace");
    }
    if (Array.isArray(container)) container[Number(key)] = value;
    else setOwn(container, key, value);
  }

  #test(path: readonly string[], expected: JsonValue): void {
    const actual = lookup(this.root, path);
    // A missing target is a failed test, not a malformed patch: "test" states what must be there.
    if (actual === undefined || !deepEqual(actual, expected)) {
      throw this.#fail("PATCH_TEST_FAILED", "the value differs from the expected one");
    }
  }

  #transfer(
    op: { op: "move" | "copy"; from: string; path: string },
    from: readonly string[],
    path: readonly string[],
  ): void {
    this.#pointer = op.from;
    const value = lookup(this.root, from);
    if (value === undefined) throw this.#fail("INVALID_PATCH", `nothing to ${op.op} from there`);
    this.#pointer = op.path;
    const fromIsPrefix = from.length <= path.length && from.every((t, i) => t === path[i]);
    if (op.op === "move" && fromIsPrefix && from.length < path.length) {
      // RFC 6902 §4.4: a location cannot be moved into one of its children.
      throw this.#fail("INVALID_PATCH", "cannot move a value into one of its own children");
    }
    if (path.length > from.length) this.#checkValue(value, path);
    if (op.op === "move") {
      if (fromIsPrefix) return;
      this.#pointer = op.from;
      this.#remove(from);
      this.#pointer = op.path;
    } else {
      // The copied value now appears twice, and may contain containers this run owns: writing
      // through one occurrence must not change the other, so from here on everything is shared.
      this.#owned.clear();
    }
    this.#add(path, value);
  }

  /** Copies (once) the containers down to the target's parent; `undefined` for the root. */
  #parentForWrite(path: readonly string[]): { container: Container; key: string } | undefined {
    const key = path[path.length - 1];
    if (key === undefined) return undefined;
    if (!isContainer(this.root)) throw this.#fail("INVALID_PATCH", "the document has no members");
    let container = this.#own(this.root);
    this.root = container;
    for (const token of path.slice(0, -1)) {
      const child = childOf(container, token);
      if (child === undefined || !isContainer(child)) {
        throw this.#fail("INVALID_PATCH", "the target's parent does not exist");
      }
      const owned = this.#own(child);
      if (Array.isArray(container)) container[Number(token)] = owned;
      else setOwn(container, token, owned);
      container = owned;
    }
    return { container, key };
  }

  #own(container: Container): Container {
    if (this.#owned.has(container)) return container;
    // Spread defines own data properties, so a `__proto__` key is copied as data.
    const copy = Array.isArray(container) ? container.slice() : { ...container };
    this.#owned.add(copy);
    return copy;
  }

  #fail(code: ErrorCode, message: string, cause?: unknown): ChorusError {
    const where = this.#pointer === undefined ? "" : ` at "${this.#pointer}"`;
    return new ChorusError(code, `operation ${this.#index}${where}: ${message}`, {
      ...(this.#pointer === undefined ? {} : { path: this.#pointer }),
      details: { index: this.#index },
      cause,
    });
  }
}

function isContainer(value: JsonValue): value is Container {
  return typeof value === "object" && value !== null;
}

function childOf(container: Container, token: string): JsonValue | undefined {
  if (!Array.isArray(container)) return hasOwn(container, token) ? container[token] : undefined;
  const index = arrayIndex(token);
  return index === undefined ? undefined : container[index];
}

function lookup(document: JsonValue, path: readonly string[]): JsonValue | undefined {
  let current: JsonValue | undefined = document;
  for (const token of path) {
    if (current === undefined || !isContainer(current)) return undefined;
    current = childOf(current, token);
  }
  return current;
}

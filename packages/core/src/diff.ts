import { boundedEqual, keyCount } from "./bounded-equal.ts";
import { ChorusError } from "./errors.ts";
import {
  DEFAULT_MAX_DEPTH,
  deepEqual,
  hasOwn,
  isJsonObject,
  type JsonObject,
  type JsonValue,
} from "./json.ts";
import type { JsonPatch, JsonPatchOperation } from "./json-patch.ts";
import { escapeToken } from "./pointer.ts";
import { planReorder } from "./reorder.ts";

/**
 * Two values to compare and where they hang. The pointer is built only when an operation or an
 * error needs it: on documents that share nothing most places compare equal, and building every
 * pointer cost more than comparing.
 */
class Pair {
  path: string | undefined = undefined;

  constructor(
    readonly a: JsonValue,
    readonly b: JsonValue,
    readonly parent: Pair | undefined,
    readonly key: string | number,
    readonly depth: number,
  ) {}
}
/** Work for the diff: a pair to compare, or an operation to emit in this position. */
type Step = Pair | JsonPatchOperation;
/** A slice of the array compared at `at`, starting at index `offset`. */
type Slice = { at: Pair; offset: number };
type Id = string | number;

/** Limits of the quick equality check on a member: a failed check costs at most this much. */
const EQUAL_DEPTH = 8;
const EQUAL_NODES = 32;
/**
 * Pairs this deep are compared on an explicit stack rather than by recursion, so a
 * 10,000-level document cannot overflow the call stack; shallower ones recurse, which spares
 * a small document the stack's allocations.
 */
const RECURSION_DEPTH = 64;

/**
 * Computes a JSON Patch that turns `a` into `b`: deterministic, and small where it matters.
 * Objects are compared key by key (removals, then changes, then additions). Arrays are first
 * trimmed of the elements that line up at both ends (same `id`, or equal); if what remains
 * holds objects with distinct string or number `id`s on both sides, it is matched by id, so
 * inserting, removing or moving one task touches only that task; otherwise it is compared
 * position by position. Runs in O(n log n) for n elements, recursing only through the first
 * levels so that no depth overflows the call stack, and shares values of `b` with the patch
 * rather than copying them.
 * @param a the document before
 * @param b the document after
 * @param options `maxDepth`, how deep to descend (default {@link DEFAULT_MAX_DEPTH})
 * @returns the patch; `[]` when the documents are equal
 * @throws ChorusError `TOO_DEEP` naming the path where both documents nest beyond `maxDepth`
 * @example
 * diff({ tasks: [{ id: 1 }] }, { tasks: [{ id: 0 }, { id: 1 }] });
 * // [{ op: "add", path: "/tasks/0", value: { id: 0 } }]
 */
export function diff(a: JsonValue, b: JsonValue, options: { maxDepth?: number } = {}): JsonPatch {
  const walk = new DiffWalk(options.maxDepth ?? DEFAULT_MAX_DEPTH);
  const root = new Pair(a, b, undefined, "", 0);
  root.path = "";
  walk.visit(root);
  return walk.patch;
}

/** One diff in progress: compares pairs depth first and emits operations in patch order. */
class DiffWalk {
  readonly patch: JsonPatch = [];
  readonly #maxDepth: number;
  // Where steps go while a pair is compared on the stack; `undefined` while recursing, when
  // each step is taken at once.
  #collected: Step[] | undefined = undefined;

  constructor(maxDepth: number) {
    this.#maxDepth = maxDepth;
  }

  visit(pair: Pair): void {
    if (pair.depth < RECURSION_DEPTH) this.#compare(pair);
    else this.#onStack(pair);
  }

  // Steps are pushed in reverse so that operations come out in the order they must be applied.
  #onStack(root: Pair): void {
    const stack: Step[] = [root];
    for (let step = stack.pop(); step !== undefined; step = stack.pop()) {
      if (!(step instanceof Pair)) {
        this.patch.push(step);
        continue;
      }
      const steps: Step[] = [];
      this.#collected = steps;
      this.#compare(step);
      for (let i = steps.length - 1; i >= 0; i--) stack.push(steps[i] as Step);
    }
    this.#collected = undefined;
  }

  /**
   * The step for a member on both sides: nothing, a replacement, or a pair to compare.
   * @param shared whether the containers holding the member share another one by reference
   */
  #member(
    parent: Pair,
    key: string | number,
    a: JsonValue,
    b: JsonValue,
    shared: boolean,
  ): Step | undefined {
    // Identical references (subtrees shared through structural sharing) cost nothing to compare.
    if (a === b) return undefined;
    if (!isComparable(a, b)) return { op: "replace", path: pathTo(parent, key), value: b };
    const depth = parent.depth + 1;
    // Most members of documents that share nothing are equal: a bounded check settles a small
    // object without the allocations of the full comparison. Arrays go to their own trimming.
    // Where the containers share others by reference, as states built by applying patches do,
    // a member that is not shared was copied to be changed, and the check would only fail. It
    // is skipped there, but only where it could change nothing: a subtree the check finds
    // equal is at most EQUAL_DEPTH levels deep, so comparing it in full can emit nothing and,
    // this far above maxDepth, cannot reach the limit either.
    if (!Array.isArray(a) && !(shared && depth + EQUAL_DEPTH <= this.#maxDepth)) {
      if (boundedEqual(a, b, EQUAL_DEPTH, EQUAL_NODES) === true) return undefined;
    }
    return new Pair(a, b, parent, key, depth);
  }

  #emit(step: Step): void {
    if (this.#collected !== undefined) this.#collected.push(step);
    else if (step instanceof Pair) this.visit(step);
    else this.patch.push(step);
  }

  #compare(pair: Pair): void {
    const { a, b } = pair;
    if (a === b) return;
    if (!isComparable(a, b)) {
      this.#emit({ op: "replace", path: pathOf(pair), value: b });
      return;
    }
    if (pair.depth >= this.#maxDepth) {
      throw new ChorusError("TOO_DEEP", `nesting exceeds the limit of ${this.#maxDepth} levels`, {
        path: pathOf(pair),
      });
    }
    if (Array.isArray(a) && Array.isArray(b)) this.#arrays(a, b, pair);
    else if (isJsonObject(a) && isJsonObject(b)) this.#objects(a, b, pair);
  }

  // Removals, then changes, then additions: removals are found among the changes, so the
  // changes wait in a list until the members of `a` have all been seen.
  #objects(a: JsonObject, b: JsonObject, at: Pair): void {
    let removals: JsonPatchOperation[] | undefined;
    let changed: string[] | undefined;
    let shared = false;
    let kept = 0;
    // `for…in` with an own-key check reads members faster than a list of keys, in the same order.
    for (const key in a) {
      if (!hasOwn(a, key)) continue;
      const valueB = b[key];
      // Equal values need no own-property check: an inherited member (`constructor`, say) is
      // never a JSON value of `a`. Only a difference asks whether `b` has the key at all.
      if (a[key] === valueB) {
        kept++;
        shared ||= typeof valueB === "object" && valueB !== null;
        continue;
      }
      if (valueB === undefined || !hasOwn(b, key)) {
        removals ??= [];
        removals.push({ op: "remove", path: pathTo(at, key) });
        continue;
      }
      kept++;
      changed ??= [];
      changed.push(key);
    }
    if (removals !== undefined) for (const step of removals) this.#emit(step);
    if (changed !== undefined) {
      for (const key of changed) {
        const step = this.#member(at, key, a[key] as JsonValue, b[key] as JsonValue, shared);
        if (step !== undefined) this.#emit(step);
      }
    }
    // Every key of b is one of a's that it kept, unless b has more keys than those.
    if (keyCount(b) <= kept) return;
    for (const key in b) {
      if (!hasOwn(b, key) || hasOwn(a, key)) continue;
      this.#emit({ op: "add", path: pathTo(at, key), value: b[key] as JsonValue });
    }
  }

  #arrays(a: JsonValue[], b: JsonValue[], at: Pair): void {
    // Trim the elements that line up at both ends (same id, or equal without one): a linear
    // scan settles the common edits (one changed, appended or removed) with no hashing at all.
    let start = 0;
    let endA = a.length;
    let endB = b.length;
    let shared = false;
    while (start < endA && start < endB && linesUp(a[start], b[start])) {
      shared ||= sharesContainer(a[start], b[start]);
      start++;
    }
    while (endA > start && endB > start && linesUp(a[endA - 1], b[endB - 1])) {
      shared ||= sharesContainer(a[endA - 1], b[endB - 1]);
      endA--;
      endB--;
    }
    // Elements shared by reference, most of a long array, are skipped without a call.
    for (let i = 0; i < start; i++) if (a[i] !== b[i]) this.#linedUp(at, a[i], b[i], i, shared);
    if (start < endA || start < endB) {
      const middleA = a.slice(start, endA);
      const middleB = b.slice(start, endB);
      const aIndex = indexById(middleA);
      const bIndex = aIndex && indexById(middleB);
      const middle = { at, offset: start };
      if (aIndex && bIndex) this.#byId(middleA, middleB, aIndex, bIndex, middle, shared);
      else this.#byPosition(middleA, middleB, middle, shared);
    }
    // The trimmed tail shifted by the middle's change in length; pair its elements by b's indexes.
    for (let k = 0; endA + k < a.length; k++) {
      if (a[endA + k] !== b[endB + k])
        this.#linedUp(at, a[endA + k], b[endB + k], endB + k, shared);
    }
  }

  // Compares two elements that line up; only those with an id can still differ.
  #linedUp(
    at: Pair,
    a: JsonValue | undefined,
    b: JsonValue | undefined,
    index: number,
    shared: boolean,
  ): void {
    if (a === b || a === undefined || b === undefined || idOf(a) === undefined) return;
    const step = this.#member(at, index, a, b, shared);
    if (step !== undefined) this.#emit(step);
  }

  #byPosition(a: JsonValue[], b: JsonValue[], middle: Slice, shared: boolean): void {
    const common = Math.min(a.length, b.length);
    for (let i = 0; i < common; i++) {
      const index = middle.offset + i;
      const step = this.#member(middle.at, index, a[i] as JsonValue, b[i] as JsonValue, shared);
      if (step !== undefined) this.#emit(step);
    }
    // Highest index first, so each removal leaves the indexes of the next ones unchanged.
    for (let i = a.length - 1; i >= common; i--) {
      this.#emit({ op: "remove", path: pathAt(middle, i) });
    }
    for (let i = common; i < b.length; i++) {
      this.#emit({ op: "add", path: pathAt(middle, i), value: b[i] as JsonValue });
    }
  }

  #byId(
    a: JsonValue[],
    b: JsonValue[],
    aIndex: Map<Id, number>,
    bIndex: Map<Id, number>,
    middle: Slice,
    shared: boolean,
  ): void {
    // A Map iterates in insertion order, which is array order.
    const bIds = [...bIndex.keys()];
    for (const step of planReorder([...aIndex.keys()], bIds)) {
      if (step.kind === "remove") {
        this.#emit({ op: "remove", path: pathAt(middle, step.index) });
      } else if (step.kind === "move") {
        const from = pathAt(middle, step.from);
        this.#emit({ op: "move", from, path: pathAt(middle, step.to) });
      } else {
        const value = b[step.source] as JsonValue;
        this.#emit({ op: "add", path: pathAt(middle, step.index), value });
      }
    }
    // The slice now holds b's ids in b's order, the kept elements still with their old content.
    for (let j = 0; j < bIds.length; j++) {
      const before = aIndex.get(bIds[j] as Id);
      if (before === undefined) continue;
      const index = middle.offset + j;
      const step = this.#member(
        middle.at,
        index,
        a[before] as JsonValue,
        b[j] as JsonValue,
        shared,
      );
      if (step !== undefined) this.#emit(step);
    }
  }
}

/** Whether two values are containers of the same kind, so they are compared member by member. */
function isComparable(a: JsonValue, b: JsonValue): boolean {
  return Array.isArray(a) ? Array.isArray(b) : isJsonObject(a) && isJsonObject(b);
}

/** Whether two elements are one container, shared by reference. */
function sharesContainer(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return a === b && typeof a === "object" && a !== null;
}

/** The pair's JSON Pointer, built once from its parent's (without recursion: pairs nest deep). */
function pathOf(pair: Pair): string {
  const unbuilt: Pair[] = [];
  let known: Pair | undefined = pair;
  while (known !== undefined && known.path === undefined) {
    unbuilt.push(known);
    known = known.parent;
  }
  let path = known?.path ?? "";
  for (let i = unbuilt.length - 1; i >= 0; i--) {
    const next = unbuilt[i] as Pair;
    path = `${path}/${token(next.key)}`;
    next.path = path;
  }
  return path;
}

function token(key: string | number): string {
  return typeof key === "number" ? String(key) : escapeToken(key);
}

function pathTo(parent: Pair, key: string | number): string {
  return `${parent.path ?? pathOf(parent)}/${token(key)}`;
}

function pathAt(middle: Slice, i: number): string {
  return pathTo(middle.at, middle.offset + i);
}

function linesUp(x: JsonValue | undefined, y: JsonValue | undefined): boolean {
  if (x === y) return true;
  if (typeof x !== "object" || x === null || typeof y !== "object" || y === null) return false;
  const id = idOf(x);
  return id === undefined ? deepEqual(x, y) : id === idOf(y);
}

function idOf(element: JsonValue | undefined): Id | undefined {
  const id = isJsonObject(element) && hasOwn(element, "id") ? element.id : undefined;
  return typeof id === "string" || typeof id === "number" ? id : undefined;
}

/** Maps ids to indexes, or `undefined` unless every element has a distinct string or number `id`. */
function indexById(array: readonly JsonValue[]): Map<Id, number> | undefined {
  if (array.length === 0) return undefined;
  const index = new Map<Id, number>();
  for (const element of array) {
    const id = idOf(element);
    if (id === undefined || index.has(id)) return undefined;
    index.set(id, index.size);
  }
  return index;
}

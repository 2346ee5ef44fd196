import { boundedEqual } from "./bounded-equal.ts";
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
 * A location in the documents: where it hangs and how many containers lie above it. Its pointer
 * is built only when an operation or an error needs it: on documents that share nothing most
 * places compare equal, and building every pointer cost more than comparing.
 */
type Place = {
  parent: Place | undefined;
  key: string | number;
  depth: number;
  path: string | undefined;
};
/** Two values to compare, and the place they are at (one object: it is made for every member). */
type Pair = Place & { a: JsonValue; b: JsonValue };
/** A slice of the array at `at`, starting at index `offset`. */
type Slice = { at: Place; offset: number };
/** Work for the diff loop: a pair to compare, or an operation to emit in this position. */
type Step = Pair | { op: JsonPatchOperation };
type Id = string | number;

const NO_STEPS: readonly Step[] = [];
/** Limits of the quick equality check on a member: a failed check costs at most this much. */
const EQUAL_DEPTH = 8;
const EQUAL_NODES = 32;

/**
 * Computes a JSON Patch that turns `a` into `b`: deterministic, and small where it matters.
 * Objects are compared key by key (removals, then changes, then additions). Arrays are first
 * trimmed of the elements that line up at both ends (same `id`, or equal); if what remains
 * holds objects with distinct string or number `id`s on both sides, it is matched by id, so
 * inserting, removing or moving one task touches only that task; otherwise it is compared
 * position by position. Runs without recursion, in O(n log n) for n elements, and shares
 * values of `b` with the patch rather than copying them.
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
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const patch: JsonPatch = [];
  // An explicit stack keeps a 10,000-level document from overflowing the call stack; steps are
  // pushed in reverse so operations come out in the order they must be applied.
  const stack: Step[] = [{ a, b, parent: undefined, key: "", depth: 0, path: "" }];
  for (let step = stack.pop(); step !== undefined; step = stack.pop()) {
    if ("op" in step) {
      patch.push(step.op);
      continue;
    }
    const next = compare(step, maxDepth);
    for (let i = next.length - 1; i >= 0; i--) stack.push(next[i] as Step);
  }
  return patch;
}

function compare(pair: Pair, maxDepth: number): readonly Step[] {
  const { a, b } = pair;
  const at: Place = pair;
  if (a === b) return NO_STEPS;
  if (!isComparable(a, b)) return [{ op: { op: "replace", path: pathOf(at), value: b } }];
  if (at.depth >= maxDepth) {
    throw new ChorusError("TOO_DEEP", `nesting exceeds the limit of ${maxDepth} levels`, {
      path: pathOf(at),
    });
  }
  if (Array.isArray(a) && Array.isArray(b)) return compareArrays(a, b, at);
  return isJsonObject(a) && isJsonObject(b) ? compareObjects(a, b, at) : NO_STEPS;
}

/** Whether two values are containers of the same kind, so they are compared member by member. */
function isComparable(a: JsonValue, b: JsonValue): boolean {
  return Array.isArray(a) ? Array.isArray(b) : isJsonObject(a) && isJsonObject(b);
}

/** The step for a member on both sides: nothing, a replacement, or a pair to compare later. */
function member(parent: Place, key: string | number, a: JsonValue, b: JsonValue): Step | undefined {
  // Identical references (subtrees shared through structural sharing) cost nothing to compare.
  if (a === b) return undefined;
  if (!isComparable(a, b)) return { op: { op: "replace", path: pathTo(parent, key), value: b } };
  // Most members of documents that share nothing are equal: a bounded check settles a small
  // object without the allocations of the full comparison. Arrays go to their own trimming.
  if (!Array.isArray(a) && boundedEqual(a, b, EQUAL_DEPTH, EQUAL_NODES) === true) return undefined;
  return { a, b, parent, key, depth: parent.depth + 1, path: undefined };
}

/** The place's JSON Pointer, built once from its parent's (without recursion: places nest deep). */
function pathOf(place: Place): string {
  const unbuilt: Place[] = [];
  let known: Place | undefined = place;
  while (known !== undefined && known.path === undefined) {
    unbuilt.push(known);
    known = known.parent;
  }
  let path = known?.path ?? "";
  for (let i = unbuilt.length - 1; i >= 0; i--) {
    const next = unbuilt[i] as Place;
    path = `${path}/${typeof next.key === "number" ? String(next.key) : escapeToken(next.key)}`;
    next.path = path;
  }
  return path;
}

function pathTo(parent: Place, key: string | number): string {
  return pathOf({ parent, key, depth: parent.depth + 1, path: undefined });
}

function compareObjects(a: JsonObject, b: JsonObject, at: Place): readonly Step[] {
  let removals: Step[] | undefined;
  let changes: Step[] | undefined;
  const keysA = Object.keys(a);
  let kept = 0;
  for (const key of keysA) {
    const valueB = b[key];
    // Equal values need no own-property check: an inherited member (`constructor`, say) is
    // never a JSON value of `a`. Only a difference asks whether `b` has the key at all.
    if (a[key] === valueB) {
      kept++;
      continue;
    }
    if (valueB === undefined || !hasOwn(b, key)) {
      removals ??= [];
      removals.push({ op: { op: "remove", path: pathTo(at, key) } });
      continue;
    }
    kept++;
    const step = member(at, key, a[key] as JsonValue, valueB);
    if (step === undefined) continue;
    changes ??= [];
    changes.push(step);
  }
  const keysB = Object.keys(b);
  // Every key of b is one of a's that it kept, unless b has more keys than those.
  const additions = keysB.length > kept;
  if (removals === undefined && changes === undefined && !additions) return NO_STEPS;
  const steps = removals ?? [];
  if (changes !== undefined) for (const step of changes) steps.push(step);
  if (additions) {
    for (const key of keysB) {
      if (hasOwn(a, key)) continue;
      steps.push({ op: { op: "add", path: pathTo(at, key), value: b[key] as JsonValue } });
    }
  }
  return steps;
}

function compareArrays(a: JsonValue[], b: JsonValue[], at: Place): readonly Step[] {
  // Trim the elements that line up at both ends (same id, or equal without one): a linear scan
  // settles the common edits (one changed, appended or removed) with no hashing at all.
  let start = 0;
  let endA = a.length;
  let endB = b.length;
  while (start < endA && start < endB && linesUp(a[start], b[start])) start++;
  while (endA > start && endB > start && linesUp(a[endA - 1], b[endB - 1])) {
    endA--;
    endB--;
  }
  const steps: Step[] = [];
  for (let i = 0; i < start; i++) pushMember(steps, at, a[i], b[i], i);
  if (start < endA || start < endB) {
    const middleA = a.slice(start, endA);
    const middleB = b.slice(start, endB);
    const aIndex = indexById(middleA);
    const bIndex = aIndex && indexById(middleB);
    const middle = { at, offset: start };
    if (aIndex && bIndex) compareById(middleA, middleB, aIndex, bIndex, middle, steps);
    else compareByPosition(middleA, middleB, middle, steps);
  }
  // The trimmed tail shifted by the middle's change in length; pair its elements by b's indexes.
  for (let k = 0; endA + k < a.length; k++) {
    pushMember(steps, at, a[endA + k], b[endB + k], endB + k);
  }
  return steps;
}

function linesUp(x: JsonValue | undefined, y: JsonValue | undefined): boolean {
  if (x === y) return true;
  if (typeof x !== "object" || x === null || typeof y !== "object" || y === null) return false;
  const id = idOf(x);
  return id === undefined ? deepEqual(x, y) : id === idOf(y);
}

/** Compares two elements that line up; only those with an id can still differ. */
function pushMember(
  steps: Step[],
  pair: Place,
  a: JsonValue | undefined,
  b: JsonValue | undefined,
  index: number,
): void {
  if (a === b || a === undefined || b === undefined || idOf(a) === undefined) return;
  const step = member(pair, index, a, b);
  if (step !== undefined) steps.push(step);
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

function compareByPosition(a: JsonValue[], b: JsonValue[], middle: Slice, steps: Step[]): void {
  const at = (i: number) => pathTo(middle.at, middle.offset + i);
  const common = Math.min(a.length, b.length);
  for (let i = 0; i < common; i++) {
    const step = member(middle.at, middle.offset + i, a[i] as JsonValue, b[i] as JsonValue);
    if (step !== undefined) steps.push(step);
  }
  // Highest index first, so each removal leaves the indexes of the next ones unchanged.
  for (let i = a.length - 1; i >= common; i--) steps.push({ op: { op: "remove", path: at(i) } });
  for (let i = common; i < b.length; i++) {
    steps.push({ op: { op: "add", path: at(i), value: b[i] as JsonValue } });
  }
}

function compareById(
  a: JsonValue[],
  b: JsonValue[],
  aIndex: Map<Id, number>,
  bIndex: Map<Id, number>,
  middle: Slice,
  steps: Step[],
): void {
  const at = (i: number) => pathTo(middle.at, middle.offset + i);
  // A Map iterates in insertion order, which is array order.
  const bIds = [...bIndex.keys()];
  for (const step of planReorder([...aIndex.keys()], bIds)) {
    if (step.kind === "remove") {
      steps.push({ op: { op: "remove", path: at(step.index) } });
    } else if (step.kind === "move") {
      steps.push({ op: { op: "move", from: at(step.from), path: at(step.to) } });
    } else {
      steps.push({ op: { op: "add", path: at(step.index), value: b[step.source] as JsonValue } });
    }
  }
  // The slice now holds b's ids in b's order, the kept elements still with their old content.
  bIds.forEach((id, j) => {
    const before = aIndex.get(id);
    if (before === undefined) return;
    const step = member(middle.at, middle.offset + j, a[before] as JsonValue, b[j] as JsonValue);
    if (step !== undefined) steps.push(step);
  });
}

import { ChorusError } from "./errors.ts";
import { type JsonObject, type JsonValue, setOwn } from "./json.ts";
import { formatPointer } from "./pointer.ts";
import { sameItems } from "./same-items.ts";

/** A checked document, ready for JSON.stringify to write canonically. */
export interface Ordered {
  /** the document, with each object out of order (and each container above one) copied in order */
  value: object;
  /**
   * containers JSON.stringify cannot write in order even as copies, each with its member names in
   * order (`undefined` for an array): objects with array-index names, which engines always
   * enumerate first and in numeric order, subtrees too deep for its native recursion, and every
   * container above them
   */
  byHand: Map<object, string[] | undefined>;
}

/** The message for a string that is not I-JSON. */
export const LONE_SURROGATE = "a string with a lone surrogate is not I-JSON";

/**
 * `String.prototype.isWellFormed`, to be applied with `.call`: RFC 8785 §3.1 requires I-JSON, and
 * RFC 7493 §2.1 forbids lone surrogates (they have no UTF-8 form), so they are refused rather than
 * escaped. It is ES2024 (Workers and Node 20 have it; core's lib is ES2023) and answers in
 * constant time for strings of one-byte characters.
 */
export const isWellFormed = (String.prototype as unknown as { isWellFormed(this: string): boolean })
  .isWellFormed;

// JSON.stringify recurses natively, so only subtrees this shallow are trusted to it.
const NATIVE_HEIGHT = 64;

// The member names of one object layout, in enumeration and in canonical order. Objects at one
// depth usually share a layout (the tasks of a state), so it is sorted once and reused.
interface Shape {
  readonly keys: readonly string[];
  /** the names in canonical order; the same array as `keys` when already in order */
  readonly names: string[];
  /** `order[i]` is the enumeration index of `names[i]`, when the two orders differ */
  readonly order: readonly number[] | undefined;
  /** whether a name is `__proto__`, which plain assignment would not store as data */
  readonly hasProto: boolean;
}

// One open container of the walk.
interface Frame {
  readonly container: object;
  /** `undefined` for an array */
  readonly shape: Shape | undefined;
  /** the members in enumeration order, with copies swapped in once `owned` */
  values: unknown[];
  /** whether `values` is the walk's own array, not the container itself */
  owned: boolean;
  index: number;
  /** whether the container needs a copy: out of order itself, or a member was copied */
  dirty: boolean;
}

/**
 * Checks that a value is JSON data no deeper than `maxDepth`, without recursion, and copies just
 * the parts whose members are out of canonical order.
 * @param root an array or object
 * @param maxDepth the deepest nesting accepted
 * @returns the document in order, and what JSON.stringify cannot be trusted with
 * @throws ChorusError `INVALID_JSON` or `TOO_DEEP`, naming the offending path
 */
export function putInOrder(root: object, maxDepth: number): Ordered {
  const byHand = new Map<object, string[] | undefined>();
  const shapes: Shape[] = [];
  const stack: Frame[] = [];
  const enter = (container: object): void => {
    const depth = stack.length;
    checkDepth(container, stack, maxDepth);
    if (Array.isArray(container)) {
      stack.push({
        container,
        shape: undefined,
        values: container,
        owned: false,
        index: 0,
        dirty: false,
      });
    } else {
      const proto = Object.getPrototypeOf(container);
      if (proto !== Object.prototype && proto !== null) {
        fail(stack, "only plain objects and arrays are JSON");
      }
      const keys = Object.keys(container);
      let shape = shapes[depth];
      if (shape === undefined || !sameItems(shape.keys, keys)) {
        shape = shapeOf(keys, stack);
        shapes[depth] = shape;
      }
      const values = Object.values(container);
      const dirty = shape.order !== undefined;
      stack.push({ container, shape, values, owned: true, index: 0, dirty });
    }
    if (depth > NATIVE_HEIGHT) markByHand(stack, byHand);
  };
  enter(root);
  let value = root;
  for (let frame = stack.at(-1); frame !== undefined; frame = stack.at(-1)) {
    if (frame.index < frame.values.length) {
      const child = frame.values[frame.index++];
      if (typeof child === "object" && child !== null) {
        enter(child);
      } else if (typeof child === "string") {
        if (!isWellFormed.call(child)) fail(stack, LONE_SURROGATE);
      } else if (typeof child === "number") {
        if (!Number.isFinite(child)) fail(stack, `${child} is not a JSON number`);
      } else if (child !== null && typeof child !== "boolean") {
        if (frame.shape === undefined && !(frame.index - 1 in frame.values)) {
          fail(stack, "sparse arrays are not JSON");
        }
        fail(stack, `a ${typeof child} is not JSON`);
      }
      continue;
    }
    const copy = frame.dirty ? copyInOrder(frame, stack, byHand) : frame.container;
    stack.pop();
    const parent = stack.at(-1);
    if (parent === undefined) value = copy;
    else if (copy !== frame.container) {
      // Copy-on-write: the parent is copied too, with this copy in place of the original.
      if (!parent.owned) {
        parent.values = parent.values.slice();
        parent.owned = true;
      }
      parent.values[parent.index - 1] = copy;
      parent.dirty = true;
    }
  }
  return { value, byHand };
}

function shapeOf(keys: string[], stack: readonly Frame[]): Shape {
  let hasProto = false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (!isWellFormed.call(key)) fail([...stack, keyFrame(keys, i)], LONE_SURROGATE);
    if (key === "__proto__") hasProto = true;
  }
  if (isSorted(keys)) return { keys, names: keys, order: undefined, hasProto };
  // RFC 8785 §3.2.3: names are compared as UTF-16 code units, which is what `<` compares.
  const order = keys.map((_, i) => i).sort((a, b) => compare(keys[a] as string, keys[b] as string));
  const names = order.map((i) => keys[i] as string);
  return { keys, names, order, hasProto };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isSorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) {
    if ((keys[i - 1] as string) > (keys[i] as string)) return false;
  }
  return true;
}

// A stand-in frame positioned on one member name, so an error can name its path.
function keyFrame(keys: string[], index: number): Frame {
  const shape = { keys, names: keys, order: undefined, hasProto: false };
  return { container: {}, shape, values: [], owned: true, index: index + 1, dirty: false };
}

function copyInOrder(frame: Frame, stack: readonly Frame[], byHand: Ordered["byHand"]): object {
  const { shape, values } = frame;
  // An array is only ever dirty through a copied member, already swapped into its own values.
  if (shape === undefined) return values;
  const { names, order } = shape;
  const copy: Record<string, unknown> = {};
  for (let i = 0; i < names.length; i++) {
    const value = values[order === undefined ? i : (order[i] as number)];
    if (shape.hasProto) setOwn(copy as JsonObject, names[i] as string, value as JsonValue);
    else copy[names[i] as string] = value;
  }
  // Array-index names ("0", "42") always enumerate first, in numeric order, whatever the
  // insertion order, so an object with one may still come out of JSON.stringify out of order.
  const first = names[0];
  if (first !== undefined && first < ":" && !isSorted(Object.keys(copy))) markByHand(stack, byHand);
  return copy;
}

// Marks the innermost open container, and every one above it, to be written by hand.
function markByHand(stack: readonly Frame[], byHand: Ordered["byHand"]): void {
  for (let i = stack.length - 1; i >= 0; i--) {
    const { container, shape } = stack[i] as Frame;
    // Once one container is marked, so are all above it.
    if (byHand.has(container)) break;
    byHand.set(container, shape?.names);
  }
}

function checkDepth(container: object, stack: readonly Frame[], maxDepth: number): void {
  const depth = stack.length;
  // Cycles are sought only at the depth limit and at powers of two from 1024: a cycle deepens
  // the walk without end, so it must cross one of them, and ordinary documents pay nothing.
  if (depth < maxDepth && (depth < 1024 || (depth & (depth - 1)) !== 0)) return;
  const seen = new Set<object>();
  for (let i = 0; i < depth; i++) {
    const frame = stack[i] as Frame;
    if (seen.has(frame.container)) fail(stack.slice(0, i), "the value contains a cycle");
    seen.add(frame.container);
  }
  if (seen.has(container)) fail(stack, "the value contains a cycle");
  if (depth >= maxDepth) {
    throw new ChorusError("TOO_DEEP", `nesting exceeds the limit of ${maxDepth} levels`, {
      path: pathOf(stack),
    });
  }
}

/**
 * @param message what is wrong with the value at the document's root
 * @throws ChorusError `INVALID_JSON`
 */
export function invalidJson(message: string): never {
  return fail([], message);
}

function fail(stack: readonly Frame[], message: string): never {
  throw new ChorusError("INVALID_JSON", message, { path: pathOf(stack) });
}

// The pointer to the member each open container is at: its last visited index or name.
function pathOf(stack: readonly Frame[]): string {
  const tokens: string[] = [];
  for (const frame of stack) {
    const i = frame.index - 1;
    tokens.push(frame.shape === undefined ? String(i) : (frame.shape.keys[i] as string));
  }
  return formatPointer(tokens);
}

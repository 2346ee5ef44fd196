import {
  invalidJson,
  isWellFormed,
  LONE_SURROGATE,
  type Ordered,
  putInOrder,
} from "./canonical-order.ts";
import { DEFAULT_MAX_DEPTH, type JsonValue } from "./json.ts";

/** Options for {@link canonicalize}. */
export interface CanonicalizeOptions {
  /** Nesting deeper than this is refused with `TOO_DEEP`; defaults to {@link DEFAULT_MAX_DEPTH}. */
  maxDepth?: number;
}

/**
 * Serializes a JSON value in the canonical form of RFC 8785 (JCS): object members sorted by the
 * UTF-16 code units of their names, numbers as ECMAScript writes them, strings escaped exactly as
 * `JSON.stringify` does, and no whitespace. Equal values always give identical text, so the text
 * can be hashed or signed. Works without recursion, so deep documents cannot overflow the stack.
 * @param value the JSON value
 * @param options `maxDepth`, the deepest nesting accepted
 * @returns the canonical JSON text
 * @throws ChorusError `INVALID_JSON` (undefined, NaN, ±Infinity, a function, a lone surrogate,
 *   a cycle, a non-plain object) or `TOO_DEEP`, naming the offending path
 * @example
 * canonicalize({ b: [1.50, "x"], a: null }); // '{"a":null,"b":[1.5,"x"]}'
 */
export function canonicalize(value: JsonValue, options: CanonicalizeOptions = {}): string {
  if (typeof value !== "object" || value === null) return scalar(value);
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  // RFC 8785 §3.2.2: JSON.stringify's string escaping and number form are exactly JCS's, so the
  // fast way is to hand it the document with every object's members in canonical order.
  const ordered = putInOrder(value, maxDepth);
  return ordered.byHand.size === 0 ? JSON.stringify(ordered.value) : writeByHand(value, ordered);
}

function scalar(value: unknown): string {
  switch (typeof value) {
    case "number":
      if (!Number.isFinite(value)) invalidJson(`${value} is not a JSON number`);
      // RFC 8785 §3.2.2.3: ECMAScript's Number-to-String, which JSON.stringify applies (-0 → 0).
      return JSON.stringify(value);
    case "string":
      if (!isWellFormed.call(value)) invalidJson(LONE_SURROGATE);
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "object":
      if (value === null) return "null";
  }
  return invalidJson(`a ${typeof value} is not JSON`);
}

/**
 * Writes the containers JSON.stringify cannot order (see {@link Ordered.byHand}) member by member,
 * and hands every other subtree to it, put in order on its own.
 */
function writeByHand(root: object, { byHand }: Ordered): string {
  type Open = { container: object; names: string[] | undefined; length: number; index: number };
  const stack: Open[] = [];
  let out = "";
  const open = (container: object): void => {
    const names = byHand.get(container);
    const length = names === undefined ? (container as unknown[]).length : names.length;
    stack.push({ container, names, length, index: 0 });
    out += names === undefined ? "[" : "{";
  };
  open(root);
  for (let frame = stack.at(-1); frame !== undefined; frame = stack.at(-1)) {
    const { container, names, index } = frame;
    if (index >= frame.length) {
      out += names === undefined ? "]" : "}";
      stack.pop();
      continue;
    }
    frame.index++;
    if (index > 0) out += ",";
    let child: unknown;
    if (names === undefined) {
      child = (container as unknown[])[index];
    } else {
      const name = names[index] as string;
      out += `${JSON.stringify(name)}:`;
      child = (container as Record<string, unknown>)[name];
    }
    if (typeof child !== "object" || child === null) out += JSON.stringify(child);
    else if (byHand.has(child)) open(child);
    // The whole document has been checked, so the subtree needs no depth limit of its own.
    else out += JSON.stringify(putInOrder(child, Number.POSITIVE_INFINITY).value);
  }
  return out;
}

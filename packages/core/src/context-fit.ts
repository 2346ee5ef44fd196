import { canonicalize } from "./canonical-json.ts";
import { type JsonObject, type JsonValue, setOwn } from "./json.ts";
import { escapeToken } from "./pointer.ts";
import type { TokenCounter } from "./token-counter.ts";

/** A part of a value left out of a fitted copy: its pointer, its cost, items cut from an array. */
export interface Cut {
  ref: string;
  tokens: number;
  /** for an array: how many of its items are left out (the array itself is kept) */
  count?: number;
}

/** A value cut down to a token allowance, and what was cut. */
export interface Fitted {
  value: JsonValue;
  tokens: number;
  cuts: Cut[];
}

// Below this allowance a container is left out whole rather than opened: too little room for
// anything but its brackets.
const MIN_OPEN = 8;

/**
 * The tokens of a JSON value as a context view writes it (RFC 8785, compact).
 * @param value any JSON value
 * @param count the token counter
 * @returns its tokens
 */
export function tokensOf(value: JsonValue, count: TokenCounter): number {
  return count(canonicalize(value));
}

/**
 * Cuts a JSON value down to at most `allowance` tokens, copying and never rewriting what it keeps:
 * objects keep whole members in their order while they fit (and open a member that does not),
 * arrays keep their newest (last) items, and strings and numbers are kept whole or left out.
 * @param value the value
 * @param ref its JSON Pointer, from which the cuts' pointers are made
 * @param allowance the most tokens the copy may take
 * @param count the token counter
 * @returns the copy with its tokens and every cut, or `undefined` when nothing of it fits
 * @example
 * fitValue({ a: "x".repeat(400), b: 1 }, "/data", 10, estimateTokens);
 * // { value: { b: 1 }, tokens: 5, cuts: [{ ref: "/data/a", tokens: 67 }] }
 */
export function fitValue(
  value: JsonValue,
  ref: string,
  allowance: number,
  count: TokenCounter,
): Fitted | undefined {
  const fitted = fit(value, ref, allowance, count);
  return "whole" in fitted ? undefined : fitted;
}

/** {@link fitValue}, or the whole value's tokens when nothing of it fits. */
function fit(
  value: JsonValue,
  ref: string,
  allowance: number,
  count: TokenCounter,
): Fitted | { whole: number } {
  const whole = tokensOf(value, count);
  if (whole <= allowance) return { value, tokens: whole, cuts: [] };
  if (allowance < MIN_OPEN || value === null || typeof value !== "object") return { whole };
  const kept = Array.isArray(value)
    ? fitArray(value, ref, allowance, count)
    : fitObject(value, ref, allowance, count);
  return settle(value, kept, ref, allowance, count) ?? { whole };
}

function fitObject(value: JsonObject, ref: string, allowance: number, count: TokenCounter) {
  const kept: JsonObject = {};
  const cuts: Cut[] = [];
  let room = allowance - count("{}");
  for (const key of Object.keys(value)) {
    const path = `${ref}/${escapeToken(key)}`;
    // The member's key, colon and comma cost about what the key's text does, plus one.
    const keyCost = count(canonicalize(key)) + 1;
    const fitted = fit(value[key] as JsonValue, path, room - keyCost, count);
    if ("whole" in fitted) {
      cuts.push({ ref: path, tokens: fitted.whole + keyCost });
      continue;
    }
    setOwn(kept, key, fitted.value);
    cuts.push(...fitted.cuts);
    room -= fitted.tokens + keyCost;
  }
  return { value: kept, cuts };
}

function fitArray(value: JsonValue[], ref: string, allowance: number, count: TokenCounter) {
  let room = allowance - count("[]");
  let first = value.length;
  // Newest last: keep the longest run of last items that fits, item by item.
  while (first > 0) {
    const cost = tokensOf(value[first - 1] as JsonValue, count) + 1;
    if (cost > room) break;
    room -= cost;
    first -= 1;
  }
  let cutTokens = 0;
  for (let i = 0; i < first; i++) cutTokens += tokensOf(value[i] as JsonValue, count) + 1;
  const cuts: Cut[] = first === 0 ? [] : [{ ref, tokens: cutTokens, count: first }];
  return { value: value.slice(first), cuts };
}

/**
 * The member costs above are counted apart, and BPE may count their joined text a token or two
 * differently: counts the copy once more and, while it is over, drops its first array item or
 * its last object member. A copy left empty is no copy: `undefined`.
 */
function settle(
  source: JsonObject | JsonValue[],
  fitted: { value: JsonObject | JsonValue[]; cuts: Cut[] },
  ref: string,
  allowance: number,
  count: TokenCounter,
): Fitted | undefined {
  let { value } = fitted;
  let cuts = fitted.cuts;
  let tokens = tokensOf(value, count);
  while (tokens > allowance && Object.keys(value).length > 0) {
    if (Array.isArray(value)) {
      const cost = tokensOf(value[0] as JsonValue, count) + 1;
      const cut = cuts.find((c) => c.ref === ref && c.count !== undefined);
      const others = cuts.filter((c) => c !== cut);
      cuts = [...others, { ref, tokens: (cut?.tokens ?? 0) + cost, count: (cut?.count ?? 0) + 1 }];
      value = value.slice(1);
    } else {
      const keys = Object.keys(value);
      const last = keys[keys.length - 1] as string;
      const path = `${ref}/${escapeToken(last)}`;
      const kept: JsonObject = {};
      for (const key of keys.slice(0, -1)) setOwn(kept, key, value[key] as JsonValue);
      const original = (source as JsonObject)[last] as JsonValue;
      cuts = cuts.filter((c) => c.ref !== path && !c.ref.startsWith(`${path}/`));
      cuts.push({ ref: path, tokens: tokensOf(original, count) });
      value = kept;
    }
    tokens = tokensOf(value, count);
  }
  if (tokens > allowance || Object.keys(value).length === 0) return undefined;
  return { value, tokens, cuts };
}

import { ChorusError } from "./errors.ts";
import { isJsonObject, type JsonValue } from "./json.ts";
import type { Strategy } from "./strategies.ts";

/**
 * Keeps the side written later, by `oursTimestamp` and `theirsTimestamp`. Ties are broken without
 * regard to which side is "ours", so swapping the sides picks the same value: first the greater
 * author name (UTF-16 code-unit order) when both authors are given and differ, then the greater
 * value in a fixed total order of JSON values (see {@link compareJson}), in which a deleted side
 * ranks lowest, so a tie never loses data. A winning deletion removes the value.
 *
 * @param input the conflict, with both timestamps in its context
 * @returns the later side
 * @throws ChorusError `VALIDATION_FAILED` when either timestamp is missing or not finite
 * @example
 * lastWriterWins({ path: "/title", ours: "a", theirs: "b",
 *   context: { tokens: ["title"], oursTimestamp: 2, theirsTimestamp: 1 } }); // keeps "a"
 */
export const lastWriterWins: Strategy = ({ path, ours, theirs, context }) => {
  const issues = [
    timestampIssue("oursTimestamp", context.oursTimestamp),
    timestampIssue("theirsTimestamp", context.theirsTimestamp),
  ].filter((issue) => issue !== undefined);
  if (issues.length > 0) {
    throw new ChorusError(
      "VALIDATION_FAILED",
      "the last-writer-wins strategy needs finite oursTimestamp and theirsTimestamp options",
      { path, details: { issues } },
    );
  }
  const order =
    Math.sign((context.oursTimestamp ?? 0) - (context.theirsTimestamp ?? 0)) ||
    compareAuthors(context.oursAuthor, context.theirsAuthor) ||
    compareJson(ours, theirs);
  const winner = order >= 0 ? ours : theirs;
  return winner === undefined
    ? { resolved: true, remove: true }
    : { resolved: true, value: winner };
};

function timestampIssue(
  name: string,
  value: number | undefined,
): { path: string; message: string } | undefined {
  return typeof value === "number" && Number.isFinite(value)
    ? undefined
    : { path: `/${name}`, message: `${name} must be a finite number` };
}

function compareAuthors(ours: string | undefined, theirs: string | undefined): number {
  if (typeof ours !== "string" || typeof theirs !== "string" || ours === theirs) return 0;
  return ours > theirs ? 1 : -1;
}

// Ranks of the JSON types in the total order; an absent side ranks below all of them.
function rank(value: JsonValue): number {
  if (value === null) return 0;
  if (Array.isArray(value)) return 4;
  switch (typeof value) {
    case "boolean":
      return 1;
    case "number":
      return 2;
    case "string":
      return 3;
    default:
      return 5;
  }
}

/**
 * A total order of JSON values, absent (`undefined`) first: null < booleans < numbers < strings
 * < arrays < objects; arrays compare element by element, then by length; objects compare their
 * sorted names, then their values in name order. Works without recursion.
 * @param a a JSON value or `undefined` for absent
 * @param b another
 * @returns negative, zero or positive as `a` sorts before, with or after `b`
 */
export function compareJson(a: JsonValue | undefined, b: JsonValue | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  // Pairs still to compare, and settled results (from lengths) to report when reached, in order.
  const tasks: Array<[JsonValue, JsonValue] | number> = [[a, b]];
  for (let task = tasks.pop(); task !== undefined; task = tasks.pop()) {
    if (typeof task === "number") {
      if (task !== 0) return task;
      continue;
    }
    const [x, y] = task;
    if (x === y) continue;
    const difference = rank(x) - rank(y);
    if (difference !== 0) return Math.sign(difference);
    if (Array.isArray(x) && Array.isArray(y)) {
      tasks.push(Math.sign(x.length - y.length));
      for (let i = Math.min(x.length, y.length) - 1; i >= 0; i--) {
        tasks.push([x[i] as JsonValue, y[i] as JsonValue]);
      }
    } else if (isJsonObject(x) && isJsonObject(y)) {
      const names = Object.keys(x).sort();
      const order = compareNames(names, Object.keys(y).sort());
      if (order !== 0) return order;
      for (let i = names.length - 1; i >= 0; i--) {
        const name = names[i] as string;
        tasks.push([x[name] as JsonValue, y[name] as JsonValue]);
      }
    } else {
      return comparePrimitives(x, y);
    }
  }
  return 0;
}

function compareNames(x: readonly string[], y: readonly string[]): number {
  for (let i = 0; i < x.length && i < y.length; i++) {
    const a = x[i] as string;
    const b = y[i] as string;
    if (a !== b) return a < b ? -1 : 1;
  }
  return Math.sign(x.length - y.length);
}

// Called for two distinct primitives of the same type (null is never distinct from null).
function comparePrimitives(x: JsonValue, y: JsonValue): number {
  if (typeof x === "string" && typeof y === "string") return x < y ? -1 : 1;
  if (typeof x === "number" && typeof y === "number") return Math.sign(x - y);
  return x === true ? 1 : -1;
}

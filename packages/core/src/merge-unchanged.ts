import { boundedEqualBoth } from "./bounded-equal.ts";
import { ABSENT, type Side } from "./merge-side.ts";

/** Limits of the bounded check for sides that equal base: a failed check costs at most this. */
const QUICK_DEPTH = 16;
const QUICK_NODES = 64;

/**
 * Whether both sides equal base, by a bounded check that gives up (answers `false`) on large
 * or deep values: sides parsed afresh share no reference with base, yet most of their subtrees
 * equal it. The check is pure, so the merge may ask it late, or learn its answer from
 * {@link plainlyChangedFrom} without asking.
 * @param base the common ancestor's value
 * @param ours our value
 * @param theirs their value
 * @param depthLeft how many levels the merge's depth limit leaves below this value
 * @returns `true` when both certainly equal base
 * @example
 * unchanged({ a: [1] }, { a: [1] }, { a: [1] }, 512); // true
 */
export function unchanged(base: Side, ours: Side, theirs: Side, depthLeft: number): boolean {
  if (base === ABSENT || ours === ABSENT || theirs === ABSENT) return false;
  if (typeof base !== "object" || base === null) return false;
  return boundedEqualBoth(base, ours, theirs, Math.min(QUICK_DEPTH, depthLeft), QUICK_NODES);
}

/**
 * Whether the check of {@link unchanged} would enter a side that is not base's own reference:
 * only a container of base's type, and an array only of base's length. Where it would not,
 * that side differs and the check answers `false`.
 * @param side one side's value
 * @param base base's value
 * @returns whether the check would enter it
 * @example
 * entersAlike([1, 2], [1]); // false
 */
export function entersAlike(side: Side, base: Side): boolean {
  if (typeof side !== "object" || typeof base !== "object" || side === null || base === null) {
    return false;
  }
  if (Array.isArray(base)) return Array.isArray(side) && side.length === base.length;
  return !Array.isArray(side);
}

/**
 * Whether {@link unchanged} would answer `false` for objects whose members line up by
 * position, as seen from their members at `start` or after, without its walk: one that some
 * side does not share with base, where that side is not entered alike ({@link entersAlike}),
 * or a member of base or a side reads `undefined`, or the check has no depth left to enter
 * it. Other members cannot undo any of these, so only `true` is an answer; `false` means
 * "ask the check".
 * @param start the first member to look at
 * @param base base's members, in key order
 * @param ours ours' members, in the same key order
 * @param theirs theirs' members, in the same key order
 * @param depthLeft as for {@link unchanged}, at the objects
 * @returns `true` when the check certainly answers `false`
 * @example
 * plainlyChangedFrom(0, [[1], 2], [[1], 3], [[1], 2], 512); // true: ours' 3 is not base's 2
 */
export function plainlyChangedFrom(
  start: number,
  base: readonly Side[],
  ours: readonly Side[],
  theirs: readonly Side[],
  depthLeft: number,
): boolean {
  const deep = Math.min(QUICK_DEPTH, depthLeft) > 1;
  for (let i = start; i < ours.length; i++) {
    const b = base[i];
    const o = ours[i];
    const t = theirs[i];
    if (o === b && t === b) continue;
    if (!deep || b === undefined || o === undefined || t === undefined) return true;
    if ((o !== b && !entersAlike(o, b)) || (t !== b && !entersAlike(t, b))) return true;
  }
  return false;
}

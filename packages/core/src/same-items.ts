/**
 * Whether two lists have the same length and the same items (by `===`) from `start` on: the
 * check that two objects list the same keys in the same order, or that a merged list is one of
 * its sides.
 * @param items one list
 * @param other the other
 * @param start the first index compared (the items before it are known to match)
 * @returns whether they match
 * @example
 * sameItems(["a", "b"], ["a", "b"]); // true
 * sameItems([1, 2, 3], [9, 2, 3], 1); // true
 */
export function sameItems<T>(items: readonly T[], other: readonly T[], start = 0): boolean {
  if (items.length !== other.length) return false;
  for (let i = start; i < items.length; i++) if (items[i] !== other[i]) return false;
  return true;
}

/**
 * One step of turning a sequence into another, with indexes as they are at that moment (the
 * way RFC 6902 reads them): `remove` deletes, `move` takes out and re-inserts, `insert` puts the
 * element found at `source` in the target sequence at `index`.
 */
export type ReorderStep =
  | { kind: "remove"; index: number }
  | { kind: "move"; from: number; to: number }
  | { kind: "insert"; index: number; source: number };

/**
 * Plans the fewest moves that turn `before` into `after`, in O(n log n): elements missing from
 * `after` are removed (highest index first), those on a longest increasing subsequence of the
 * survivors stay where they are, every other survivor moves once and new elements are inserted.
 * @param before the distinct keys in their old order
 * @param after the distinct keys in their new order
 * @returns the steps, in the order they must be applied
 * @example
 * planReorder(["a", "b", "c"], ["b", "c", "a", "d"]);
 * // [{ kind: "move", from: 0, to: 2 }, { kind: "insert", index: 3, source: 3 }]
 */
export function planReorder<K>(before: readonly K[], after: readonly K[]): ReorderStep[] {
  const wanted = new Set(after);
  const steps: ReorderStep[] = [];
  for (let i = before.length - 1; i >= 0; i--) {
    if (!wanted.has(before[i] as K)) steps.push({ kind: "remove", index: i });
  }
  const kept = new Map<K, number>();
  for (const key of before) if (wanted.has(key)) kept.set(key, kept.size);
  const stays = longestIncreasing(after.flatMap((key) => kept.get(key) ?? []));
  const isAnchor = (key: K) => stays.has(kept.get(key) ?? -1);

  // Every position an element ever occupies gets a slot in one fixed order, so an element's
  // current index is the number of occupied slots before its own (a Fenwick tree counts them).
  // A moved or new element lands right after its predecessor in `after`: its slot follows the
  // anchor (an element that stays) leading its run, or comes first when no anchor precedes it.
  const runs = new Map<number, number[]>();
  let leader = -1;
  after.forEach((key, j) => {
    if (isAnchor(key)) leader = kept.get(key) ?? -1;
    else {
      const run = runs.get(leader);
      if (run === undefined) runs.set(leader, [j]);
      else run.push(j);
    }
  });
  const startSlot = new Int32Array(kept.size);
  const endSlot = new Int32Array(after.length);
  let slots = 0;
  for (const j of runs.get(-1) ?? []) endSlot[j] = slots++;
  for (let position = 0; position < kept.size; position++) {
    startSlot[position] = slots++;
    for (const j of runs.get(position) ?? []) endSlot[j] = slots++;
  }
  const occupied = new SlotCounter(slots);
  for (const slot of startSlot) occupied.toggle(slot, 1);

  after.forEach((key, j) => {
    if (isAnchor(key)) return;
    const position = kept.get(key);
    const target = endSlot[j] ?? 0;
    if (position === undefined) {
      steps.push({ kind: "insert", index: occupied.before(target), source: j });
    } else {
      const start = startSlot[position] ?? 0;
      const from = occupied.before(start);
      occupied.toggle(start, -1);
      const to = occupied.before(target);
      if (from !== to) steps.push({ kind: "move", from, to });
    }
    occupied.toggle(target, 1);
  });
  return steps;
}

/** The values on one longest strictly increasing subsequence, found by patience sorting. */
function longestIncreasing(sequence: readonly number[]): Set<number> {
  const tails: number[] = [];
  const previous = new Int32Array(sequence.length).fill(-1);
  sequence.forEach((value, i) => {
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((sequence[tails[middle] ?? 0] ?? 0) < value) low = middle + 1;
      else high = middle;
    }
    previous[i] = low > 0 ? (tails[low - 1] ?? -1) : -1;
    tails[low] = i;
  });
  const result = new Set<number>();
  for (let i = tails.at(-1) ?? -1; i >= 0; i = previous[i] ?? -1) result.add(sequence[i] ?? 0);
  return result;
}

/** A Fenwick tree over 0/1 slots: counts occupied slots before a given one in O(log n). */
class SlotCounter {
  readonly #tree: Int32Array;

  constructor(size: number) {
    this.#tree = new Int32Array(size + 1);
  }

  toggle(slot: number, delta: 1 | -1): void {
    for (let i = slot + 1; i < this.#tree.length; i += i & -i) {
      this.#tree[i] = (this.#tree[i] ?? 0) + delta;
    }
  }

  before(slot: number): number {
    let count = 0;
    for (let i = slot; i > 0; i -= i & -i) count += this.#tree[i] ?? 0;
    return count;
  }
}

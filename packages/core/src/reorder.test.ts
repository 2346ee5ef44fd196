import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planReorder, type ReorderStep } from "./reorder.ts";

function replay<K>(before: readonly K[], after: readonly K[], steps: ReorderStep[]): K[] {
  const current = [...before];
  for (const step of steps) {
    if (step.kind === "remove") current.splice(step.index, 1);
    else if (step.kind === "insert") current.splice(step.index, 0, after[step.source] as K);
    else current.splice(step.to, 0, ...current.splice(step.from, 1));
  }
  return current;
}

/** The length of a longest increasing subsequence, the quadratic way, as an oracle. */
function lisLength(sequence: readonly number[]): number {
  const best = sequence.map(() => 1);
  sequence.forEach((value, i) => {
    for (let j = 0; j < i; j++) {
      if ((sequence[j] ?? 0) < value) best[i] = Math.max(best[i] ?? 1, (best[j] ?? 1) + 1);
    }
  });
  return Math.max(0, ...best);
}

describe("planReorder", () => {
  it("moves the one element out of place and inserts the new one", () => {
    expect(planReorder(["a", "b", "c"], ["b", "c", "a", "d"])).toEqual([
      { kind: "move", from: 0, to: 2 },
      { kind: "insert", index: 3, source: 3 },
    ]);
  });

  it("removes from the highest index down", () => {
    expect(planReorder([1, 2, 3, 4], [2, 4])).toEqual([
      { kind: "remove", index: 2 },
      { kind: "remove", index: 0 },
    ]);
  });

  it("plans nothing for an unchanged order", () => {
    expect(planReorder(["x", "y"], ["x", "y"])).toEqual([]);
  });

  it("reaches the new order with the fewest moves", () => {
    const keys = fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 30 });
    fc.assert(
      fc.property(keys, keys, (before, after) => {
        const steps = planReorder(before, after);
        expect(replay(before, after, steps)).toEqual(after);
        const survivors = after.filter((key) => before.includes(key));
        const moves = steps.filter((step) => step.kind === "move").length;
        expect(moves).toBe(survivors.length - lisLength(survivors.map((k) => before.indexOf(k))));
      }),
      { numRuns: 300 },
    );
  });

  it("plans a reversal of 30,000 elements in well under a second", () => {
    const before = Array.from({ length: 30_000 }, (_, i) => i);
    const started = Date.now();
    const steps = planReorder(before, before.toReversed());
    expect(steps).toHaveLength(29_999);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

import { describe, expect, it } from "vitest";
import type { JsonObject, JsonValue } from "./json.ts";
import { merge } from "./merge.ts";
import { StrategyRegistry } from "./strategies.ts";

// A copy that shares no references with the original, as a document parsed from a request.
const copy = <T extends JsonValue>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe("merge walk fast paths", () => {
  it("reads a side's members directly only when it has exactly ours' keys", () => {
    // theirs has ours' keys (none); base's key, deleted on both sides, is inherited on them.
    const deleted = merge({ constructor: 1, toString: 2 }, {}, {});
    expect(deleted.value).toEqual({});
    expect(deleted.clean).toEqual(["/constructor", "/toString"]);
    // theirs has ours' keys in another order: merged in ours' order, each from its own side.
    const reordered = merge({ a: 1, b: 1 }, { a: 2, b: 1 }, { b: 3, a: 1 });
    expect(Object.entries(reordered.value as JsonObject)).toEqual([
      ["a", 2],
      ["b", 3],
    ]);
    // base has a key neither side has any more, beside ones both kept.
    const dropped = merge({ a: 1, b: 1 }, { a: 2 }, { a: 1 });
    expect(dropped.value).toEqual({ a: 2 });
    expect(dropped.clean).toEqual(["/a", "/b"]);
  });

  it("keeps base's own array when both sides are equal copies of it, and takes an append", () => {
    const base = { tasks: [{ id: "t1", n: 1 }] };
    const same = merge(base, copy(base), copy(base));
    expect((same.value as typeof base).tasks).toBe(base.tasks);
    const appended = { tasks: [...copy(base).tasks, { id: "t2", n: 2 }] };
    const taken = merge(base, copy(base), appended);
    expect((taken.value as typeof base).tasks).toBe(appended.tasks);
    expect(taken.clean).toEqual(["/tasks"]);
  });

  it("shifts the elements after one a strategy removes from a shared array", () => {
    const [t1, t2, t3] = [{ id: "t1" }, { id: "t2" }, { id: "t3" }];
    const both = { id: "t1", n: 1 };
    const changed = { id: "t3", n: 3 };
    const registry = new StrategyRegistry().register(
      "drop",
      () => ({ resolved: true, remove: true }),
      { settlesAgreements: true },
    );
    const result = merge(
      { tasks: [t1, t2, t3] },
      { tasks: [both, t2, changed] },
      { tasks: [both, t2, t3] },
      { registry, rules: [{ path: "/tasks/*", strategy: "drop" }] },
    );
    expect((result.value as { tasks: JsonValue[] }).tasks).toEqual([t2, changed]);
    expect((result.value as { tasks: JsonValue[] }).tasks[0]).toBe(t2);
    expect(result.resolved.map(({ path, id }) => [path, id])).toEqual([["/tasks/0", "t1"]]);
    expect(result.clean).toEqual(["/tasks/1"]);
  });

  it("checks an element appended to a shared array like any other change", () => {
    const base = { tasks: [{ id: "t1" }] };
    const theirs = { tasks: [...base.tasks, { id: "t2", at: [Number.NaN] }] };
    expect(() => merge(base, { tasks: [{ id: "t1", n: 1 }] }, theirs as never)).toThrow(
      expect.objectContaining({ code: "INVALID_JSON", path: "/tasks/1/at/0" }),
    );
  });

  it("keeps base's own object amid shared members when both sides copied it unchanged", () => {
    const shared = { n: 1 };
    const base = { shared, task: { id: "t1", tags: ["a"] }, n: 1 };
    // Both copied the task without changing it, and ours changed `n`.
    const merged = merge(
      base,
      { shared, task: copy(base.task), n: 2 },
      { shared, task: copy(base.task), n: 1 },
    );
    expect((merged.value as typeof base).task).toBe(base.task);
    expect(merged.clean).toEqual(["/n"]);
    // A copy no longer like base's (here theirs' tags grew) is merged member by member.
    const grown = merge(
      base,
      { shared, task: copy(base.task), n: 1 },
      { shared, task: { ...copy(base.task), tags: ["a", "b"] }, n: 1 },
    );
    expect((grown.value as typeof base).task.tags).toEqual(["a", "b"]);
    expect(grown.clean).toEqual(["/task/tags"]);
  });

  it("enters a bad value amid shared members only where a side changed it", () => {
    const shared = { n: 1 };
    // Both sides' copies of base's non-JSON member are alike: base's own is kept, unchecked.
    const at = () => ({ when: new Date(0) });
    const kept = merge(
      { shared, at: at() } as never,
      { shared, at: at() } as never,
      {
        shared,
        at: at(),
      } as never,
    );
    expect(kept.clean).toEqual([]);
    // A side's copy that differs from base's reaches the check that refuses it.
    const base = { shared, at: { when: 1 } };
    expect(() =>
      merge(base, { shared, at: { when: Number.NaN } } as never, { shared, at: { when: 1 } }),
    ).toThrow(expect.objectContaining({ code: "INVALID_JSON", path: "/at/when" }));
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { catchError } from "./testing/catch-error.ts";
import { node, versionDag } from "./testing/version-dag.ts";
import { ancestors, mergeBase, mergeBases, type VersionNode } from "./version-graph.ts";

function graph(...nodes: VersionNode[]): Map<string, VersionNode> {
  return new Map(nodes.map((version) => [version.id, version]));
}

// v1 ← v2 ← v3 ← v5 (merge of v3 and v4), v2 ← v4; v6 is an unrelated root.
const versions = graph(
  node("v1", 1),
  node("v2", 2, ["v1"]),
  node("v3", 3, ["v2"]),
  node("v4", 4, ["v2"]),
  node("v5", 5, ["v3", "v4"]),
  node("v6", 6),
);

// Brute force: the common ancestors (each counting itself) that no other one descends from.
function bestCommonAncestors(all: Map<string, VersionNode>, a: string, b: string): string[] {
  const common = [...ancestors(all, a).add(a)].filter((id) => ancestors(all, b).add(b).has(id));
  return common.filter((id) => !common.some((other) => ancestors(all, other).has(id)));
}

describe("ancestors", () => {
  it("collects every version a version descends from, through merges, not itself", () => {
    expect(ancestors(versions, "v5")).toEqual(new Set(["v1", "v2", "v3", "v4"]));
    expect(ancestors(versions, "v1")).toEqual(new Set());
  });

  it("includes a parent that cannot be found, but nothing beyond it", () => {
    expect(ancestors(graph(node("v2", 2, ["v1"])), "v2")).toEqual(new Set(["v1"]));
  });

  it("refuses an unknown version with NOT_FOUND", () => {
    expect(catchError(() => ancestors(versions, "nope")).code).toBe("NOT_FOUND");
  });

  it("accepts a lookup function in place of a map", () => {
    expect(ancestors((id) => versions.get(id), "v3")).toEqual(new Set(["v1", "v2"]));
  });

  it("includes both parents of a merge and all their ancestors", () => {
    fc.assert(
      fc.property(versionDag, (dag) => {
        for (const version of dag.values()) {
          const own = ancestors(dag, version.id);
          for (const parent of version.parents) {
            expect(own.has(parent)).toBe(true);
            for (const above of ancestors(dag, parent)) expect(own.has(above)).toBe(true);
          }
        }
      }),
    );
  });
});

describe("mergeBase", () => {
  it("finds where two branches forked", () => {
    expect(mergeBase(versions, "v3", "v4")).toBe("v2");
  });

  it("returns a version itself when the other descends from it", () => {
    expect(mergeBase(versions, "v2", "v5")).toBe("v2");
    expect(mergeBase(versions, "v5", "v5")).toBe("v5");
    expect(mergeBase(versions, "v5", "v4")).toBe("v4");
  });

  it("returns undefined for versions that share no history", () => {
    expect(mergeBase(versions, "v5", "v6")).toBeUndefined();
  });

  it("picks the highest-numbered best ancestor after a criss-cross merge", () => {
    // x and y each merge both a and b, so a and b are both best common ancestors of x and y.
    const crissCross = graph(
      node("root", 1),
      node("a", 2, ["root"]),
      node("b", 3, ["root"]),
      node("x", 4, ["a", "b"]),
      node("y", 5, ["b", "a"]),
    );
    expect(mergeBases(crissCross, "x", "y")).toEqual(["b", "a"]);
    expect(mergeBase(crissCross, "x", "y")).toBe("b");
    expect(mergeBase(crissCross, "y", "x")).toBe("b");
  });

  it("breaks ties in version number by id", () => {
    const tied = graph(node("r", 1), node("q", 2, ["r"]), node("p", 2, ["r"]));
    const merged = graph(...tied.values(), node("x", 3, ["p", "q"]), node("y", 3, ["q", "p"]));
    expect(mergeBase(merged, "x", "y")).toBe("p");
  });

  it("can name a common ancestor that has been archived", () => {
    const partial = graph(node("a", 2, ["gone"]), node("b", 3, ["gone"]));
    expect(mergeBase(partial, "a", "b")).toBe("gone");
  });

  it("refuses unknown versions with NOT_FOUND", () => {
    expect(catchError(() => mergeBase(versions, "v1", "nope")).code).toBe("NOT_FOUND");
    expect(catchError(() => mergeBase(versions, "nope", "v1")).code).toBe("NOT_FOUND");
  });

  it("is symmetric and returns a best common ancestor with the highest number", () => {
    fc.assert(
      fc.property(versionDag, fc.nat(), fc.nat(), (dag, i, j) => {
        const a = `v${i % dag.size}`;
        const b = `v${j % dag.size}`;
        const base = mergeBase(dag, a, b);
        expect(mergeBase(dag, b, a)).toBe(base);
        const best = bestCommonAncestors(dag, a, b);
        expect(new Set(mergeBases(dag, a, b))).toEqual(new Set(best));
        const top = Math.max(...best.map((id) => dag.get(id)?.version ?? 0));
        expect(base === undefined ? best.length : dag.get(base)?.version).toBe(
          base === undefined ? 0 : top,
        );
      }),
    );
  });

  it("walks 100,000 versions without recursion", () => {
    const long = new Map<string, VersionNode>();
    long.set("v0", node("v0", 1));
    for (let i = 1; i < 50_000; i++) long.set(`v${i}`, node(`v${i}`, i + 1, [`v${i - 1}`]));
    for (let i = 0; i < 50_000; i++) {
      const parent = i === 0 ? "v0" : `w${i - 1}`;
      long.set(`w${i}`, node(`w${i}`, 50_001 + i, [parent]));
    }
    expect(ancestors(long, "w49999").size).toBe(50_000);
    expect(mergeBase(long, "v49999", "w49999")).toBe("v0");
  });
});

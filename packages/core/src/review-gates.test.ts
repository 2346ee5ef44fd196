import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { diff } from "./diff.ts";
import type { JsonValue } from "./json.ts";
import { gateHits, isProtectedBranch, matchesApproved } from "./review-gates.ts";
import { ReviewGate } from "./schemas/review-gate.ts";

const gates = [
  v.parse(ReviewGate, { paths: ["/data/release/**"], approvals: 2 }),
  v.parse(ReviewGate, { transition: { path: "/status", to: "completed" } }),
  v.parse(ReviewGate, {
    branches: ["prod"],
    transition: { path: "/tasks/*/status", to: "done", from: "review" },
  }),
];

function hits(branch: string, before: JsonValue, after: JsonValue) {
  return gateHits(gates, branch, before, after, diff(before, after));
}

describe("gateHits", () => {
  it("protects main by default and only the branches a gate names", () => {
    expect(isProtectedBranch(gates, "main")).toBe(true);
    expect(isProtectedBranch(gates, "prod")).toBe(true);
    expect(isProtectedBranch(gates, "feature")).toBe(false);
    expect(hits("feature", {}, { data: { release: { v: 1 } } })).toEqual([]);
  });

  it("hits a change at, below or above a protected path", () => {
    const before = { data: { release: { v: 1 }, draft: 1 } };
    expect(hits("main", before, { data: { release: { v: 2 }, draft: 1 } })).toEqual([
      { gate: 0, path: "/data/release/v", approvals: 2 },
    ]);
    expect(hits("main", before, {})).toEqual([{ gate: 0, path: "/data", approvals: 2 }]);
    expect(hits("main", before, { data: { release: { v: 1 }, draft: 2 } })).toEqual([]);
  });

  it("hits a transition to the gated value, not a change elsewhere or a value kept", () => {
    expect(hits("main", { status: "active" }, { status: "completed" })).toEqual([
      { gate: 1, path: "/status", approvals: 1 },
    ]);
    expect(hits("main", {}, { status: "completed" })).toHaveLength(1);
    expect(hits("main", { status: "active" }, { status: "paused" })).toEqual([]);
    expect(hits("main", { status: "completed", n: 1 }, { status: "completed", n: 2 })).toEqual([]);
  });

  it("finds transitions under a glob, only from the gated value when one is given", () => {
    const before = { tasks: { a: { status: "review" }, b: { status: "open" } } };
    const after = { tasks: { a: { status: "done" }, b: { status: "done" } } };
    expect(hits("prod", before, after)).toEqual([
      { gate: 2, path: "/tasks/a/status", approvals: 1 },
    ]);
    // A whole task replaced counts too.
    expect(hits("prod", { tasks: {} }, { tasks: { c: { status: "done" } } })).toEqual([]);
  });
});

describe("matchesApproved", () => {
  it("accepts a write that brings exactly the approved values at the gated paths", () => {
    const found = hits("main", { data: { release: { v: 1 } } }, { data: { release: { v: 2 } } });
    expect(
      matchesApproved(found, { data: { release: { v: 2 } } }, { data: { release: { v: 2 } } }),
    ).toBe(true);
    expect(
      matchesApproved(found, { data: { release: { v: 3 } } }, { data: { release: { v: 2 } } }),
    ).toBe(false);
    expect(matchesApproved(found, { data: { release: {} } }, { data: { release: { v: 2 } } })).toBe(
      false,
    );
  });
});

describe("ReviewGate", () => {
  it("needs either paths or a transition", () => {
    expect(v.safeParse(ReviewGate, {}).success).toBe(false);
    expect(
      v.safeParse(ReviewGate, { paths: ["/a"], transition: { path: "/s", to: 1 } }).success,
    ).toBe(false);
    expect(v.parse(ReviewGate, { paths: ["/a"] })).toEqual({
      branches: ["main"],
      paths: ["/a"],
      approvals: 1,
    });
  });
});

import type { Snapshot, StateEvent, StateVersion, WorkflowRecord } from "@chorus/core";
import { describe, expect, it } from "vitest";
import {
  columns,
  describeCommit,
  describeConflicts,
  describeCreated,
  describeEvent,
  formatHealth,
  formatHistory,
  formatPatch,
  formatSnapshots,
  formatStateRead,
  formatTime,
  formatValue,
  formatWorkflowPage,
} from "../src/index.ts";

const AT = Date.UTC(2026, 11, 7, 9, 30, 5);
const CHECKSUM = "a".repeat(64);

function version(n: number, overrides: Partial<StateVersion> = {}): StateVersion {
  return {
    id: `w1@${n}`,
    workflowId: "w1",
    version: n,
    branch: "main",
    parents: n === 1 ? [] : [`w1@${n - 1}`],
    timestamp: AT,
    author: "admin",
    changeDescription: `change ${n}`,
    checksum: CHECKSUM,
    ...overrides,
  };
}

function record(overrides: Partial<WorkflowRecord> = {}): WorkflowRecord {
  return {
    id: "wf_1",
    name: "Release 1.4",
    status: "running",
    priority: "high",
    tags: [],
    createdAt: AT,
    updatedAt: AT,
    createdBy: "admin",
    ...overrides,
  };
}

describe("formatValue", () => {
  it("writes JSON on one line, an absent side as a dash, and cuts long values", () => {
    expect(formatValue("failed")).toBe('"failed"');
    expect(formatValue({ a: [1, 2] })).toBe('{"a":[1,2]}');
    expect(formatValue(null)).toBe("null");
    expect(formatValue(undefined)).toBe("—");
    const long = formatValue("x".repeat(100), 20);
    expect(long).toHaveLength(20);
    expect(long).toBe(`"${"x".repeat(18)}…`);
  });
});

describe("formatTime", () => {
  it("prints UTC to the second", () => {
    expect(formatTime(AT)).toBe("2026-12-07 09:30:05Z");
  });
});

describe("columns", () => {
  it("pads every column but the last to its widest cell", () => {
    expect(
      columns([
        ["v10", "admin", "x"],
        ["v9", "token:lead", "y"],
      ]),
    ).toEqual(["v10  admin       x", "v9   token:lead  y"]);
  });
});

describe("formatHistory", () => {
  it("prints a version a line: number, author, time, description", () => {
    const lines = formatHistory([
      version(8, { author: "token:lead", changeDescription: "Restore snapshot s1" }),
      version(7, { author: "token:builder", changeDescription: "" }),
    ]);
    expect(lines).toEqual([
      "v8  token:lead     2026-12-07 09:30:05Z  Restore snapshot s1",
      "v7  token:builder  2026-12-07 09:30:05Z  —",
    ]);
  });

  it("names a branch other than main", () => {
    expect(formatHistory([version(3, { branch: "experiment" })])).toEqual([
      "v3  admin  2026-12-07 09:30:05Z  [experiment] change 3",
    ]);
  });
});

describe("formatPatch", () => {
  it("prints an operation a line with its value or source", () => {
    expect(
      formatPatch([
        { op: "replace", path: "/tasks/build/status", value: "failed" },
        { op: "add", path: "/tags/-", value: { id: "t1" } },
        { op: "remove", path: "/old" },
        { op: "move", from: "/a", path: "/b" },
        { op: "copy", from: "/b", path: "/c" },
        { op: "test", path: "/n", value: 1 },
      ]),
    ).toEqual([
      'replace /tasks/build/status = "failed"',
      'add     /tags/- = {"id":"t1"}',
      "remove  /old",
      "move    /b from /a",
      "copy    /c from /b",
      "test    /n = 1",
    ]);
  });
});

describe("describeCommit", () => {
  const result = { merged: [], resolved: [], replayed: false, origin: "fast-forward" as const };

  it("gives the version and how it was made", () => {
    expect(describeCommit({ ...result, version: version(2) })).toBe("v2 (fast-forward)");
  });

  it("adds merged paths, settled conflicts, a replay and a branch other than main", () => {
    const text = describeCommit({
      version: version(5, { branch: "fix" }),
      origin: "merge",
      merged: ["/a", "/b"],
      resolved: [{ path: "/n", base: 1, ours: 2, theirs: 3, strategy: "sum" }],
      replayed: true,
    });
    expect(text).toBe(
      "v5 on fix (merge; merged cleanly: /a, /b; settled: /n by sum; replayed, nothing new committed)",
    );
  });
});

describe("describeConflicts", () => {
  it("names each path with both sides", () => {
    expect(
      describeConflicts([
        { path: "/tasks/build/status", base: "running", ours: "completed", theirs: "failed" },
        { path: "/owner", ours: "a" },
      ]),
    ).toBe('/tasks/build/status (ours "completed", theirs "failed"), /owner (ours "a", theirs —)');
  });
});

describe("formatWorkflowPage", () => {
  it("prints a workflow a line with its tags, and the cursor of the next page", () => {
    const page = {
      workflows: [
        record({ tags: ["release", "q4"] }),
        record({ id: "wf_22", name: "Docs", status: "pending", priority: "low" }),
      ],
      nextCursor: "abc",
    };
    expect(formatWorkflowPage(page)).toEqual([
      "wf_1   running  high  2026-12-07 09:30:05Z  Release 1.4 #release #q4",
      "wf_22  pending  low   2026-12-07 09:30:05Z  Docs",
      "more: --cursor abc",
    ]);
  });

  it("says when there is nothing", () => {
    expect(formatWorkflowPage({ workflows: [], nextCursor: null })).toEqual(["no workflows"]);
  });
});

describe("describeCreated", () => {
  it("gives the id, name, status, priority and the first version", () => {
    const created = { workflow: record(), version: version(1), location: "/api/workflows/wf_1" };
    expect(describeCreated(created)).toBe('created wf_1 "Release 1.4" (running, high), v1 on main');
  });
});

describe("formatStateRead", () => {
  it("heads the state with its version, then prints it as indented JSON", () => {
    const read = { ...version(3), path: "/data", state: { n: 2 }, etag: `"${CHECKSUM}"` };
    expect(formatStateRead(read)).toEqual([
      "v3 on main at /data, by admin 2026-12-07 09:30:05Z: change 3",
      `checksum ${CHECKSUM}`,
      '{\n  "n": 2\n}',
    ]);
  });
});

describe("formatSnapshots", () => {
  it("prints a snapshot a line", () => {
    const snapshot: Snapshot = {
      id: "s1",
      workflowId: "w1",
      version: 6,
      description: "before the retry",
      createdAt: AT,
      author: "token:lead",
      checksum: CHECKSUM,
    };
    expect(formatSnapshots([snapshot, { ...snapshot, id: "s22", description: "" }])).toEqual([
      "s1   v6  2026-12-07 09:30:05Z  token:lead  before the retry",
      "s22  v6  2026-12-07 09:30:05Z  token:lead  —",
    ]);
    expect(formatSnapshots([])).toEqual(["no snapshots"]);
  });
});

describe("formatHealth", () => {
  it("gives the verdict, then each component's latency or error", () => {
    const health = {
      status: "degraded" as const,
      version: "0.1.0",
      components: {
        gateway: { status: "up" as const, latencyMs: 0 },
        stateManager: { status: "up" as const, latencyMs: 3 },
        coordinator: { status: "down" as const, latencyMs: 2000, error: "timed out" },
      },
    };
    expect(formatHealth(health)).toEqual([
      "degraded, gateway version 0.1.0",
      "gateway       up    0 ms",
      "stateManager  up    3 ms",
      "coordinator   down  timed out",
    ]);
  });
});

describe("describeEvent", () => {
  const event: StateEvent = {
    workflowId: "w1",
    version: 12,
    branch: "main",
    parents: [11],
    author: "token:planner",
    changeDescription: "claim t7",
    timestamp: Date.UTC(2026, 11, 7, 9, 30, 5),
    checksum: "0".repeat(64),
    patch: [
      { op: "replace", path: "/tasks/t7/status", value: "running" },
      { op: "remove", path: "/tasks/t8" },
    ],
    changes: [],
  };

  it("shows the version, author, time, description and first operation with a count", () => {
    expect(describeEvent(event)).toBe(
      'v12  token:planner  2026-12-07 09:30:05Z  claim t7  replace /tasks/t7/status = "running" (+1 more)',
    );
  });

  it("names a branch other than main, a missing description and an empty patch", () => {
    expect(describeEvent({ ...event, branch: "side", changeDescription: "", patch: [] })).toBe(
      "v12 [side]  token:planner  2026-12-07 09:30:05Z  —  no changes",
    );
    expect(describeEvent({ ...event, patch: [{ op: "remove", path: "/a" }] })).toMatch(
      / {2}remove \/a$/,
    );
  });
});

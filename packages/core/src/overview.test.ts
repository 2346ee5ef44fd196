import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { summarizeOverview } from "./overview.ts";
import type { AgentRecord } from "./schemas/agent-record.ts";
import { Overview } from "./schemas/overview.ts";
import type { QueuedConflict } from "./schemas/queued-conflict.ts";
import type { StateVersion } from "./schemas/state-version.ts";
import type { WorkflowRecord } from "./schemas/workflow-record.ts";

const NOW = 1_000_000_000;

const workflow = (id: string, status: WorkflowRecord["status"]): WorkflowRecord => ({
  id,
  name: `name ${id}`,
  status,
  priority: "normal",
  tags: [],
  createdAt: 1,
  updatedAt: 1,
  createdBy: "admin",
});

const agent = (n: number, status: AgentRecord["status"], leases: number): AgentRecord => ({
  id: `ag_${String(n).padStart(32, "0")}`,
  name: `agent ${n}`,
  type: "builder",
  capabilities: [],
  maxConcurrency: 2,
  ttlMs: 30_000,
  workflowIds: null,
  status,
  leases,
  lastSeenAt: NOW - 1000,
  createdAt: 1,
  createdBy: "admin",
  tokenId: "tok",
});

const version = (workflowId: string, n: number, timestamp: number): StateVersion => ({
  id: String(n),
  workflowId,
  version: n,
  branch: "main",
  parents: n === 1 ? [] : [String(n - 1)],
  timestamp,
  author: "token:a",
  changeDescription: `v${n}`,
  checksum: "0".repeat(64),
});

const conflict = (id: string, status: "open" | "resolved", createdAt: number): QueuedConflict => ({
  id,
  branch: "main",
  base: 1,
  head: 2,
  source: "commit",
  theirsVersion: null,
  status,
  author: "token:a",
  description: "",
  createdAt,
  conflicts: [{ path: "/x", ours: 1, theirs: 2 }],
  resolvedVersion: status === "open" ? null : 3,
});

describe("summarizeOverview", () => {
  it("counts workflows, agents, tasks and open conflicts, and rates over the window", () => {
    const a = workflow("a", "running");
    const b = workflow("b", "completed");
    const overview = summarizeOverview({
      now: NOW,
      windowMs: 60_000,
      workflows: [a, b, workflow("c", "running")],
      agents: [agent(1, "busy", 2), agent(2, "offline", 0)],
      samples: [
        {
          workflow: a,
          tasks: [
            { id: "t1", status: "ready" },
            { id: "t2", status: "claimed" },
          ],
          conflicts: [conflict("c1", "open", NOW - 10), conflict("c2", "resolved", NOW - 120_000)],
          versions: [version("a", 3, NOW - 5), version("a", 2, NOW - 30_000), version("a", 1, 0)],
        },
        {
          workflow: b,
          tasks: [{ id: "t3", status: "claimed" }],
          conflicts: [conflict("c3", "open", NOW - 100), conflict("c4", "open", NOW - 200)],
          versions: [version("b", 1, NOW - 1)],
        },
      ],
    });
    expect(v.is(Overview, overview)).toBe(true);
    expect(overview.workflows).toEqual({
      total: 3,
      byStatus: { pending: 0, running: 2, paused: 0, completed: 1, failed: 0, cancelled: 0 },
    });
    expect(overview.agents.total).toBe(2);
    expect(overview.agents.online).toBe(1);
    expect(overview.agents.load[0]).toMatchObject({ leases: 2, maxConcurrency: 2 });
    expect(overview.tasks).toMatchObject({ ready: 1, claimed: 2, completed: 0 });
    expect(overview.conflicts).toEqual({
      open: 3,
      byWorkflow: [
        { workflowId: "b", workflowName: "name b", open: 2 },
        { workflowId: "a", workflowName: "name a", open: 1 },
      ],
    });
    // Three versions and three conflicts inside the last minute.
    expect(overview.rates).toEqual({
      windowMs: 60_000,
      commitsPerMinute: 3,
      conflictsPerMinute: 3,
    });
    expect(overview.activity.map((entry) => `${entry.workflowId}@${entry.version}`)).toEqual([
      "b@1",
      "a@3",
      "a@2",
      "a@1",
    ]);
    expect(overview.sampled).toBe(2);
  });

  it("keeps the twenty newest versions of the activity", () => {
    const a = workflow("a", "running");
    const versions = Array.from({ length: 30 }, (_, i) => version("a", 30 - i, NOW - i));
    const overview = summarizeOverview({
      now: NOW,
      workflows: [a],
      agents: [],
      samples: [{ workflow: a, tasks: [], conflicts: [], versions }],
    });
    expect(overview.activity).toHaveLength(20);
    expect(overview.activity[0]?.version).toBe(30);
  });
});

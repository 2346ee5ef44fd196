import type { AgentRecord } from "./schemas/agent-record.ts";
import type { Overview, WorkflowCounts } from "./schemas/overview.ts";
import type { QueuedConflict } from "./schemas/queued-conflict.ts";
import type { StateVersion } from "./schemas/state-version.ts";
import type { Task } from "./schemas/task.ts";
import type { TaskCounts } from "./schemas/workflow-detail.ts";
import type { WorkflowRecord } from "./schemas/workflow-record.ts";

/** The default window of the overview's rates: the last five minutes. */
export const OVERVIEW_WINDOW_MS = 5 * 60_000;

/** How many versions the overview's recent activity lists. */
export const OVERVIEW_ACTIVITY = 20;

/** What is known of one workflow looked at in detail. */
export interface WorkflowSample {
  workflow: WorkflowRecord;
  tasks: readonly Task[];
  /** its conflicts, open and resolved (resolved ones count towards the conflict rate) */
  conflicts: readonly QueuedConflict[];
  /** its newest versions, at least those inside the window */
  versions: readonly StateVersion[];
}

/** What the overview is made from. */
export interface OverviewInput {
  now: number;
  /** every registered workflow */
  workflows: readonly WorkflowRecord[];
  agents: readonly AgentRecord[];
  /** the workflows looked at in detail */
  samples: readonly WorkflowSample[];
  windowMs?: number;
}

/**
 * Sums up workflows, agents, tasks, conflicts and recent commits into the dashboard's overview.
 * @param input the registry's records and the detail of the workflows sampled
 * @returns the overview
 * @example
 * summarizeOverview({ now: Date.now(), workflows, agents, samples: [] }).workflows.total;
 */
export function summarizeOverview(input: OverviewInput): Overview {
  const windowMs = input.windowMs ?? OVERVIEW_WINDOW_MS;
  const since = input.now - windowMs;
  const byStatus: WorkflowCounts = {
    pending: 0,
    running: 0,
    paused: 0,
    completed: 0,
    failed: 0,
    cancelled: 0,
  };
  for (const workflow of input.workflows) byStatus[workflow.status] += 1;
  const tasks: TaskCounts = {
    pending: 0,
    ready: 0,
    claimed: 0,
    completed: 0,
    failed: 0,
    dead: 0,
    cancelled: 0,
  };
  let commits = 0;
  let queued = 0;
  const byWorkflow = [];
  const activity = [];
  for (const { workflow, tasks: list, conflicts, versions } of input.samples) {
    for (const task of list) tasks[task.status] += 1;
    const open = conflicts.filter((conflict) => conflict.status === "open").length;
    if (open > 0) byWorkflow.push({ workflowId: workflow.id, workflowName: workflow.name, open });
    queued += conflicts.filter((conflict) => conflict.createdAt >= since).length;
    for (const version of versions) {
      if (version.timestamp >= since) commits += 1;
      activity.push({
        workflowId: workflow.id,
        workflowName: workflow.name,
        version: version.version,
        branch: version.branch,
        author: version.author,
        changeDescription: version.changeDescription,
        timestamp: version.timestamp,
      });
    }
  }
  byWorkflow.sort((a, b) => b.open - a.open || a.workflowId.localeCompare(b.workflowId));
  activity.sort((a, b) => b.timestamp - a.timestamp || b.version - a.version);
  const load = input.agents.map(
    ({ id, name, type, status, leases, maxConcurrency, lastSeenAt }) => ({
      id,
      name,
      type,
      status,
      leases,
      maxConcurrency,
      lastSeenAt,
    }),
  );
  const perMinute = (count: number) => (count * 60_000) / windowMs;
  return {
    generatedAt: input.now,
    workflows: { total: input.workflows.length, byStatus },
    agents: {
      total: load.length,
      online: load.filter((agent) => agent.status !== "offline").length,
      load,
    },
    tasks,
    conflicts: { open: byWorkflow.reduce((sum, entry) => sum + entry.open, 0), byWorkflow },
    activity: activity.slice(0, OVERVIEW_ACTIVITY),
    rates: {
      windowMs,
      commitsPerMinute: perMinute(commits),
      conflictsPerMinute: perMinute(queued),
    },
    sampled: input.samples.length,
  };
}

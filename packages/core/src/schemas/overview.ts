import * as v from "valibot";
import {
  AgentId,
  AgentName,
  AgentRecordStatus,
  AgentType,
  MaxConcurrency,
} from "./agent-record.ts";
import { BranchName } from "./branch-name.ts";
import { Count, Id, Timestamp, VersionNumber } from "./fields.ts";
import { TaskCounts } from "./workflow-detail.ts";
import { WorkflowName } from "./workflow-record.ts";

/** How many workflows there are in each status. */
export const WorkflowCounts = v.strictObject({
  pending: Count,
  running: Count,
  paused: Count,
  completed: Count,
  failed: Count,
  cancelled: Count,
});

/** How many workflows there are in each status. */
export type WorkflowCounts = v.InferOutput<typeof WorkflowCounts>;

/** An agent as the overview shows it: who it is, whether it is online, and how loaded it is. */
export const AgentLoad = v.strictObject({
  id: AgentId,
  name: AgentName,
  type: AgentType,
  status: AgentRecordStatus,
  leases: Count,
  maxConcurrency: MaxConcurrency,
  lastSeenAt: Timestamp,
});

/** An agent as the overview shows it. */
export type AgentLoad = v.InferOutput<typeof AgentLoad>;

/** One committed version in the overview's recent activity. */
export const Activity = v.strictObject({
  workflowId: Id,
  workflowName: WorkflowName,
  version: VersionNumber,
  branch: BranchName,
  author: Id,
  changeDescription: v.string(),
  timestamp: Timestamp,
});

/** One committed version in the overview's recent activity. */
export type Activity = v.InferOutput<typeof Activity>;

/** A workflow with conflicts waiting for someone to resolve them. */
export const ConflictCount = v.strictObject({
  workflowId: Id,
  workflowName: WorkflowName,
  open: Count,
});

/** A workflow with conflicts waiting for someone to resolve them. */
export type ConflictCount = v.InferOutput<typeof ConflictCount>;

/** The live figures across workflows that the dashboard's overview shows (`GET /api/overview`). */
export const Overview = v.strictObject({
  generatedAt: Timestamp,
  /** every registered workflow, by status */
  workflows: v.strictObject({ total: Count, byStatus: WorkflowCounts }),
  /** agents that are not offline, and each agent's load (oldest first) */
  agents: v.strictObject({ total: Count, online: Count, load: v.array(AgentLoad) }),
  /** tasks by status over the workflows looked at in detail (`sampled`) */
  tasks: TaskCounts,
  /** open conflicts over the workflows looked at in detail, most first */
  conflicts: v.strictObject({ open: Count, byWorkflow: v.array(ConflictCount) }),
  /** the newest versions across those workflows, newest first */
  activity: v.array(Activity),
  /** commits and queued conflicts per minute over the last `windowMs` */
  rates: v.strictObject({
    windowMs: Count,
    commitsPerMinute: v.pipe(v.number(), v.minValue(0)),
    conflictsPerMinute: v.pipe(v.number(), v.minValue(0)),
  }),
  /** how many workflows (the newest) were looked at in detail */
  sampled: Count,
});

/** The dashboard's overview. */
export type Overview = v.InferOutput<typeof Overview>;

import type {
  AgentRecord,
  Branch,
  JsonValue,
  QueuedConflict,
  Review,
  Snapshot,
  StateVersion,
  Task,
  WorkflowDetail,
} from "@chorus/core";
import { api } from "../api.ts";

/** What a new version changes at once: the head's state and the history. */
export interface Versions {
  head: { version: number; checksum: string; state: JsonValue };
  /** newest first */
  versions: StateVersion[];
  /** how each version came to be, from the audit log: `merge`, `restore`, … */
  origins: Map<number, string>;
}

/** The rest of the workflow's page. */
export interface Board {
  detail: WorkflowDetail;
  conflicts: QueuedConflict[];
  snapshots: Snapshot[];
  branches: Branch[];
  reviews: Review[];
  tasks: Task[];
  agents: AgentRecord[];
}

/**
 * Reads the head, the history and each version's origin (three requests, drawn first, so a
 * new version shows as soon as they answer).
 * @param id the workflow
 * @returns them
 */
export async function loadVersions(id: string): Promise<Versions> {
  const [head, history, audit] = await Promise.all([api.state(id), api.history(id), api.audit(id)]);
  const origins = new Map<number, string>();
  for (const entry of audit.entries) {
    if (entry.version !== null && entry.action.startsWith("version.")) {
      origins.set(entry.version, entry.action.slice("version.".length));
    }
  }
  return { head, versions: history.versions, origins };
}

/**
 * Reads the record, conflicts, snapshots, branches, reviews, tasks and agents.
 * @param id the workflow
 * @returns them
 */
export async function loadBoard(id: string): Promise<Board> {
  const [detail, conflicts, snapshots, branches, reviews, tasks, agents] = await Promise.all([
    api.workflow(id),
    api.conflicts(id),
    api.snapshots(id),
    api.branches(id),
    api.reviews(id),
    api.tasks(id),
    api.agents(id),
  ]);
  return {
    detail,
    conflicts: conflicts.conflicts,
    snapshots: snapshots.snapshots,
    branches: branches.branches,
    reviews: reviews.reviews,
    tasks: tasks.tasks,
    agents: agents.agents,
  };
}

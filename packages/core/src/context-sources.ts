import { isJsonObject, type JsonObject, type JsonValue, setOwn } from "./json.ts";
import { escapeToken } from "./pointer.ts";
import type { FeedEntry } from "./schemas/change-feed.ts";
import type { QueuedConflict } from "./schemas/queued-conflict.ts";

/** One candidate entry of a context view's list section: where it comes from and its value. */
export interface ContextItem {
  ref: string;
  value: JsonValue;
}

/** The members of a workflow's state that say what it is and where it stands. */
const STATUS_MEMBERS = ["id", "name", "status", "priority", "description", "context"] as const;
/** Task statuses with nothing more to do; every other status is open. */
const FINISHED = new Set(["completed", "cancelled", "dead"]);
// Open tasks most likely to need attention first: held, failing, claimable, waiting.
const STATUS_RANK: Record<string, number> = { claimed: 0, failed: 1, ready: 2, pending: 3 };
const PRIORITY_RANK: Record<string, number> = { critical: 0, high: 1, normal: 2, low: 3 };
/** A version's changed paths listed one by one up to this many; the rest as a count. */
const MAX_PATHS = 10;

/**
 * @param state a workflow state
 * @returns its id, name, status, priority, description and context, those it has
 */
export function statusOf(state: JsonObject): JsonObject {
  const picked: JsonObject = {};
  for (const key of STATUS_MEMBERS) {
    if (Object.hasOwn(state, key)) setOwn(picked, key, state[key] as JsonValue);
  }
  return picked;
}

/**
 * @param state a workflow state
 * @returns its tasks (objects with a string `status`), each at `/tasks/{id}`
 */
export function tasksOf(state: JsonObject): Array<ContextItem & { value: JsonObject }> {
  const tasks = state.tasks;
  if (!isJsonObject(tasks)) return [];
  const items: Array<ContextItem & { value: JsonObject }> = [];
  for (const [key, task] of Object.entries(tasks)) {
    if (isJsonObject(task)) items.push({ ref: `/tasks/${escapeToken(key)}`, value: task });
  }
  return items;
}

/** @returns whether a task has nothing more to do */
export function isFinished(task: JsonObject): boolean {
  return typeof task.status === "string" && FINISHED.has(task.status);
}

/**
 * Orders open tasks by what most needs attention: status (claimed, failed, ready, pending),
 * then priority, then the most recently updated, then id.
 * @returns a negative number when `a` comes first
 */
export function compareOpenTasks(a: ContextItem, b: ContextItem): number {
  return (
    rank(STATUS_RANK, a, "status") - rank(STATUS_RANK, b, "status") ||
    rank(PRIORITY_RANK, a, "priority") - rank(PRIORITY_RANK, b, "priority") ||
    updatedAt(b) - updatedAt(a) ||
    compareRefs(a, b)
  );
}

/** Orders tasks newest first: by `updatedAt`, then by id. */
export function compareNewest(a: ContextItem, b: ContextItem): number {
  return updatedAt(b) - updatedAt(a) || compareRefs(a, b);
}

/**
 * Counts objects by their `status` member.
 * @returns `{ [status]: count }`, statuses sorted
 */
export function countByStatus(items: readonly ContextItem[]): JsonObject {
  const counts = new Map<string, number>();
  for (const { value } of items) {
    const status = isJsonObject(value) && typeof value.status === "string" ? value.status : "none";
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }
  const byStatus: JsonObject = {};
  for (const status of [...counts.keys()].sort()) setOwn(byStatus, status, counts.get(status) ?? 0);
  return byStatus;
}

/**
 * A workflow's versions up to `version`, newest first, each as who changed what and why: its
 * number, branch, author, description and the paths it changed (past {@link MAX_PATHS}, the
 * first ones and a count of the rest).
 * @param entries change-feed entries (any order, any versions)
 * @param version the newest version to include
 * @returns one item per version, at `version:<n>`
 */
export function versionsOf(entries: readonly FeedEntry[], version: number): ContextItem[] {
  return entries
    .filter((entry) => entry.version.version <= version)
    .sort((a, b) => b.version.version - a.version.version)
    .map(({ version: v, changes }) => {
      const paths = [...new Set(changes.map((change) => change.path))];
      const value: JsonObject = {
        version: v.version,
        branch: v.branch,
        author: v.author,
        description: v.changeDescription,
        timestamp: v.timestamp,
        paths: paths.slice(0, MAX_PATHS),
      };
      if (paths.length > MAX_PATHS) value.morePaths = paths.length - MAX_PATHS;
      return { ref: `version:${v.version}`, value };
    });
}

/**
 * The conflicts resolved by `version` or before, newest resolution first: the decisions taken
 * on the workflow, with the paths each settled.
 * @returns one item per conflict, at `conflict:<id>`
 */
export function decisionsOf(conflicts: readonly QueuedConflict[], version: number): ContextItem[] {
  return conflicts
    .filter((c) => c.resolvedVersion !== null && c.resolvedVersion <= version)
    .sort((a, b) => (b.resolvedVersion ?? 0) - (a.resolvedVersion ?? 0) || (a.id < b.id ? -1 : 1))
    .map((c) => ({
      ref: `conflict:${c.id}`,
      value: {
        conflict: c.id,
        resolvedVersion: c.resolvedVersion,
        branch: c.branch,
        author: c.author,
        description: c.description,
        paths: c.conflicts.map((conflict) => conflict.path),
      },
    }));
}

function rank(table: Record<string, number>, item: ContextItem, member: string): number {
  const value = isJsonObject(item.value) ? item.value[member] : undefined;
  return (typeof value === "string" ? table[value] : undefined) ?? 2;
}

function updatedAt(item: ContextItem): number {
  const value = isJsonObject(item.value) ? item.value.updatedAt : undefined;
  return typeof value === "number" ? value : 0;
}

// Code-unit order, as RFC 8785 sorts: the same everywhere, unlike localeCompare.
function compareRefs(a: ContextItem, b: ContextItem): number {
  return a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0;
}

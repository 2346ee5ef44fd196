import { stateForStatus, statusForState } from "./linear-status-map.ts";
import type { LinearAgentConfig, LinearWorkflowState } from "./schemas/linear-config.ts";
import type { Task, TaskStatus } from "./schemas/task.ts";

/** The task members the Linear sync mirrors; one left out is not part of the change. */
export interface SyncedTaskFields {
  title?: string;
  status?: TaskStatus;
  /** the agent id, `null` when unassigned */
  assignee?: string | null;
}

/** The issue members the Linear sync mirrors; one left out is not part of the change. */
export interface SyncedIssueFields {
  title?: string;
  stateId?: string;
  /** the Linear user id, `null` when unassigned */
  assigneeId?: string | null;
}

/** What translating between the two needs: the team's states and the workflow's maps. */
export interface LinearFieldContext {
  states: readonly LinearWorkflowState[];
  config: Pick<LinearAgentConfig, "stateMap" | "assigneeMap">;
}

/**
 * The members of a task the sync mirrors.
 * @param task the task
 * @returns its title, status and assignee (`null` when it has none)
 */
export function syncedTaskFields(task: Task): SyncedTaskFields {
  const fields: SyncedTaskFields = { status: task.status, assignee: task.assignee ?? null };
  if (task.title !== undefined) fields.title = task.title;
  return fields;
}

/**
 * Translates task changes into issue changes: the status through the state map, the assignee
 * through the assignee map (an unmapped agent leaves the issue unassigned). A status the team
 * has no state for is left out.
 * @param changes the task members that changed
 * @param context the team's states and the workflow's maps
 * @returns the issue members to set
 * @example
 * issueFieldsFor({ status: "completed" }, { states, config }); // { stateId: "<Done's id>" }
 */
export function issueFieldsFor(
  changes: SyncedTaskFields,
  context: LinearFieldContext,
): SyncedIssueFields {
  const fields: SyncedIssueFields = {};
  if (changes.title !== undefined) fields.title = changes.title;
  if (changes.status !== undefined) {
    const state = stateForStatus(changes.status, context.states, context.config.stateMap);
    if (state !== undefined) fields.stateId = state.id;
  }
  if (changes.assignee !== undefined) {
    fields.assigneeId =
      changes.assignee === null ? null : (context.config.assigneeMap?.[changes.assignee] ?? null);
  }
  return fields;
}

/**
 * Translates issue changes into task changes: the state back through the state map (a state
 * that means no status is left out), the assignee back through the assignee map (a Linear user
 * not in it is left out; unassigning in Linear unassigns the task).
 * @param changes the issue members that changed
 * @param context the team's states and the workflow's maps
 * @returns the task members to set
 * @example
 * taskFieldsFor({ stateId: doneId }, { states, config }); // { status: "completed" }
 */
export function taskFieldsFor(
  changes: SyncedIssueFields,
  context: LinearFieldContext,
): SyncedTaskFields {
  const fields: SyncedTaskFields = {};
  if (changes.title !== undefined) fields.title = changes.title;
  if (changes.stateId !== undefined) {
    const status = statusForState(changes.stateId, context.states, context.config.stateMap);
    if (status !== undefined) fields.status = status;
  }
  if (changes.assigneeId === null) fields.assignee = null;
  else if (changes.assigneeId !== undefined) {
    const entry = Object.entries(context.config.assigneeMap ?? {}).find(
      ([, userId]) => userId === changes.assigneeId,
    );
    if (entry !== undefined) fields.assignee = entry[0];
  }
  return fields;
}

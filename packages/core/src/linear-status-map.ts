import type {
  LinearStateMap,
  LinearStateType,
  LinearWorkflowState,
} from "./schemas/linear-config.ts";
import type { TaskStatus } from "./schemas/task.ts";

/**
 * The state type a task status maps to when the workflow's `stateMap` does not name a state for
 * it. `failed` waits for a retry, so it stays in progress; `dead` gave up, so it is canceled.
 */
export const DEFAULT_STATE_TYPES: Readonly<Record<TaskStatus, LinearStateType>> = {
  pending: "backlog",
  ready: "unstarted",
  claimed: "started",
  failed: "started",
  completed: "completed",
  dead: "canceled",
  cancelled: "canceled",
};

/**
 * The task status a state type maps back to when no `stateMap` entry names the state. `started`
 * maps to nothing: claiming a task takes a lease from the task board, which a person moving an
 * issue in Linear does not hold, so the task's status is left alone.
 */
const DEFAULT_STATUSES: Readonly<Record<LinearStateType, TaskStatus | undefined>> = {
  triage: "ready",
  backlog: "ready",
  unstarted: "ready",
  started: undefined,
  completed: "completed",
  canceled: "cancelled",
};

// When several statuses name the same state, a change from Linear means the first of these.
const REVERSE_ORDER: readonly TaskStatus[] = [
  "ready",
  "completed",
  "cancelled",
  "pending",
  "claimed",
  "failed",
  "dead",
];

function names(state: LinearWorkflowState, ref: string): boolean {
  return state.id === ref || state.name.toLowerCase() === ref.toLowerCase();
}

function byPosition(a: LinearWorkflowState, b: LinearWorkflowState): number {
  return a.position - b.position;
}

/**
 * The workflow state a task status maps to: the state its `stateMap` entry names (by id, else by
 * name, case-insensitive), or else the first state, by position, of its default type.
 * @param status the task's status
 * @param states the team's workflow states
 * @param stateMap the workflow's configured map, if any
 * @returns the state, or `undefined` when the team has none that fits
 * @example
 * stateForStatus("ready", states, { ready: "Todo" })?.id;
 */
export function stateForStatus(
  status: TaskStatus,
  states: readonly LinearWorkflowState[],
  stateMap: LinearStateMap = {},
): LinearWorkflowState | undefined {
  const sorted = [...states].sort(byPosition);
  const ref = stateMap[status];
  if (ref !== undefined) {
    return sorted.find((state) => state.id === ref) ?? sorted.find((state) => names(state, ref));
  }
  const type = DEFAULT_STATE_TYPES[status];
  return sorted.find((state) => state.type === type);
}

/**
 * The task status a workflow state maps back to: the first status (ready, completed, cancelled,
 * pending, claimed, failed, dead) whose `stateMap` entry names it, or else its type's default.
 * @param stateId the workflow state id
 * @param states the team's workflow states
 * @param stateMap the workflow's configured map, if any
 * @returns the status, or `undefined` when the state means no status (an unknown state, or
 *   `started` with no entry naming it)
 * @example
 * statusForState(issue.stateId, states); // "completed" for a state of type `completed`
 */
export function statusForState(
  stateId: string,
  states: readonly LinearWorkflowState[],
  stateMap: LinearStateMap = {},
): TaskStatus | undefined {
  const state = states.find((candidate) => candidate.id === stateId);
  if (state === undefined) return undefined;
  for (const status of REVERSE_ORDER) {
    if (
      stateForStatus(status, states, stateMap)?.id === state.id &&
      stateMap[status] !== undefined
    ) {
      return status;
    }
  }
  return DEFAULT_STATUSES[state.type as LinearStateType];
}

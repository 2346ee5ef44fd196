import * as v from "valibot";
import { Id } from "./fields.ts";

/** A Linear identifier (a team, workflow state, label or user id; UUIDs in practice). */
export const LinearId = v.pipe(v.string(), v.minLength(1), v.maxLength(100));

/** What a team's workflow state means to Linear, whatever the team named it. */
export const LinearStateType = v.picklist([
  "triage",
  "backlog",
  "unstarted",
  "started",
  "completed",
  "canceled",
]);

/** What a team's workflow state means to Linear. */
export type LinearStateType = v.InferOutput<typeof LinearStateType>;

/** One workflow state of a Linear team, as the `workflowStates` query answers it. */
export const LinearWorkflowState = v.object({
  id: LinearId,
  name: v.string(),
  type: v.string(),
  /** ascending order of the state within its type group */
  position: v.number(),
});

/** One workflow state of a Linear team. */
export type LinearWorkflowState = v.InferOutput<typeof LinearWorkflowState>;

const StateRef = v.pipe(v.string(), v.minLength(1), v.maxLength(200));

/**
 * Which workflow state of the team a task status maps to, by the state's id or its name
 * (case-insensitive). A status left out maps by its default state type (see `stateForStatus`).
 */
export const LinearStateMap = v.strictObject({
  pending: v.exactOptional(StateRef),
  ready: v.exactOptional(StateRef),
  claimed: v.exactOptional(StateRef),
  completed: v.exactOptional(StateRef),
  failed: v.exactOptional(StateRef),
  dead: v.exactOptional(StateRef),
  cancelled: v.exactOptional(StateRef),
});

/** Which workflow state of the team a task status maps to. */
export type LinearStateMap = v.InferOutput<typeof LinearStateMap>;

/**
 * How a workflow's Linear State Agent syncs its tasks, the `config` of
 * `POST /api/workflows/{id}/agents { type: "linear", config }`. The API key is never part of it:
 * it comes from the worker's `LINEAR_API_KEY` secret.
 *
 * @example
 * v.parse(LinearAgentConfig, { teamId: "team-1", stateMap: { ready: "Todo" } });
 */
export const LinearAgentConfig = v.strictObject({
  /** the Linear team whose issues mirror the workflow's tasks */
  teamId: LinearId,
  stateMap: v.exactOptional(LinearStateMap),
  /** labels put on every issue the agent creates */
  labelIds: v.exactOptional(v.pipe(v.array(LinearId), v.maxLength(50))),
  /**
   * task assignee (an agent id) → Linear user id; an assignee not listed leaves the issue
   * unassigned, and a Linear user not listed changes no task's assignee
   */
  assigneeMap: v.exactOptional(v.record(Id, LinearId)),
});

/** How a workflow's Linear State Agent syncs its tasks. */
export type LinearAgentConfig = v.InferOutput<typeof LinearAgentConfig>;

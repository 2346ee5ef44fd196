import * as v from "valibot";
import { isJsonObject, type JsonObject, setOwn } from "../json.ts";
import { JsonData } from "../json-patch.ts";
import { parsePointer } from "../pointer.ts";
import { type ValidationResult, validate, validateOrThrow } from "../validate.ts";
import { Agent } from "./agent.ts";
import { Id, JsonRecord } from "./fields.ts";
import { Priority } from "./priority.ts";
import { recordById } from "./record-by-id.ts";
import { strictMembers } from "./strict-members.ts";
import { Task } from "./task.ts";
import type { ValidationIssue } from "./validation-issue.ts";

/** Where a workflow is in its life. */
export const WorkflowStatus = v.picklist([
  "pending",
  "running",
  "paused",
  "completed",
  "failed",
  "cancelled",
]);

/** Where a workflow is in its life. */
export type WorkflowStatus = v.InferOutput<typeof WorkflowStatus>;

// Tasks share the workflow's scale of urgency; it lives apart so task.ts can use it too.
export { Priority } from "./priority.ts";

/** Who a workflow runs for and how it is labelled; anything else belongs in `metadata`. */
export const WorkflowContext = strictMembers(
  "WorkflowContext",
  {
    userId: v.exactOptional(Id),
    tags: v.exactOptional(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(100)))),
  },
  "anything else goes under /metadata",
);

/** Who a workflow runs for and how it is labelled. */
export type WorkflowContext = v.InferOutput<typeof WorkflowContext>;

/**
 * The state of one workflow, as agents commit it. Only `id`, `name`, `status` and `priority` are
 * required: `tasks`, `agents`, `context` and `metadata` default to `{}`, and `data` holds any JSON.
 * Unknown members here and in `context` are refused rather than dropped, so a misspelt field is
 * reported, not lost, in words that say where free-form content belongs (`data` or `metadata`).
 * Tasks and agents keep extra JSON members, since agents attach what their work needs.
 */
export const WorkflowState = strictMembers(
  "WorkflowState",
  {
    id: Id,
    name: v.pipe(
      v.string(),
      v.minLength(1),
      v.maxLength(200),
      v.regex(/\S/, "Invalid name: it is blank"),
    ),
    description: v.exactOptional(v.pipe(v.string(), v.maxLength(2000))),
    status: WorkflowStatus,
    priority: Priority,
    /** tasks filed under their ids */
    tasks: v.exactOptional(recordById(Task), () => ({})),
    /** agents filed under their ids */
    agents: v.exactOptional(recordById(Agent), () => ({})),
    context: v.exactOptional(WorkflowContext, () => ({})),
    metadata: v.exactOptional(JsonRecord, () => ({})),
    data: v.exactOptional(JsonData),
  },
  "free-form content goes under /data (or /metadata)",
);

/** The state of one workflow, with defaults applied. */
export type WorkflowState = v.InferOutput<typeof WorkflowState>;

/** The state of one workflow as it may be submitted, before defaults. */
export type WorkflowStateInput = v.InferInput<typeof WorkflowState>;

// valibot's object schemas accept arrays (they are objects too), so the validators refuse them first.
function notAnObject(): { success: false; issues: ValidationIssue[] } {
  return {
    success: false,
    issues: [{ path: "", message: "a workflow state must be a JSON object, not an array" }],
  };
}

/**
 * Checks a candidate workflow state and reports every issue at its JSON Pointer.
 * @param input anything, typically a parsed request body
 * @returns the state with defaults applied, or every issue
 * @example
 * const result = validateState({ id: "wf-1", name: "Build", status: "running", priority: "high" });
 * if (result.success) result.output.tasks; // {}
 */
export function validateState(input: unknown): ValidationResult<WorkflowState> {
  return Array.isArray(input) ? notAnObject() : validate(WorkflowState, input);
}

/**
 * Checks a workflow state at a boundary, where a mismatch is the caller's error.
 * @param input anything
 * @returns the state with defaults applied
 * @throws ChorusError `VALIDATION_FAILED`, with the first issue's `path` and all in `details.issues`
 * @example
 * const state = parseState(await request.json());
 */
export function parseState(input: unknown): WorkflowState {
  return validateOrThrow(WorkflowState, input, { what: "workflow state" });
}

/**
 * A committed workflow state: the members of {@link WorkflowState}, each optional, so a
 * workflow can start as `{}` and grow; members that are present must be valid, and unknown
 * members are still refused. No defaults are applied: a version stores exactly what was sent.
 */
export const WorkflowStateDocument = v.partial(WorkflowState);

/**
 * Checks a state as the state manager stores it (see {@link WorkflowStateDocument}).
 * @param input anything
 * @returns the state, or every issue at its JSON Pointer
 * @example
 * validateStateDocument({}); // { success: true, output: {} }
 * validateStateDocument({ status: "done" }); // issue at "/status"
 */
export function validateStateDocument(input: unknown): ValidationResult<unknown> {
  return Array.isArray(input) ? notAnObject() : validate(WorkflowStateDocument, input);
}

// Members whose items are checked one by one when a change touches only some of them.
const KEYED_MEMBERS = new Set(["tasks", "agents"]);

/**
 * Checks only what a change touched, for a state whose every other part was valid before (a
 * new version of a stored state): the top-level members the change entered, and under `tasks`
 * and `agents` just the items it entered. Reports exactly what {@link validateStateDocument}
 * reports for the whole state, at the same paths, at the cost of the change instead of the state.
 * @param state the state after the change
 * @param paths the JSON Pointers the change wrote or removed: each operation's `path`, and the
 *   `from` of a `move`
 * @returns the issues of the touched parts, or success
 * @example
 * validateStateChange(next, ["/tasks/t1/status"]); // validates next.tasks.t1 only
 */
export function validateStateChange(
  state: unknown,
  paths: readonly string[],
): ValidationResult<unknown> {
  if (!isJsonObject(state)) return validateStateDocument(state);
  // The touched parts, in a document of their own: the same schema then checks them, and its
  // issues carry the same paths as in the whole state.
  const touched: JsonObject = {};
  const whole = new Set<string>();
  for (const path of paths) {
    const [member, item] = parsePointer(path);
    if (member === undefined) return validateStateDocument(state);
    if (!Object.hasOwn(state, member) || whole.has(member)) continue;
    const value = state[member] ?? null;
    if (item === undefined || !KEYED_MEMBERS.has(member) || !isJsonObject(value)) {
      setOwn(touched, member, value);
      whole.add(member);
      continue;
    }
    let items = touched[member] as JsonObject | undefined;
    if (items === undefined) {
      items = {};
      setOwn(touched, member, items);
    }
    if (Object.hasOwn(value, item)) setOwn(items, item, value[item] ?? null);
  }
  return validateStateDocument(touched);
}

import { ChorusError } from "./errors.ts";
import type { WorkflowStatus } from "./schemas/workflow-state.ts";

/**
 * The lifecycle: where each status may go next. `failed → running` is a retry; `completed` and
 * `cancelled` are terminal. Staying put is always allowed (see {@link canTransition}).
 */
const NEXT: Readonly<Record<WorkflowStatus, readonly WorkflowStatus[]>> = {
  pending: ["running", "cancelled"],
  running: ["paused", "completed", "failed", "cancelled"],
  paused: ["running", "cancelled"],
  failed: ["running", "cancelled"],
  completed: [],
  cancelled: [],
};

/**
 * Whether a workflow in status `from` may move to status `to`.
 * @param from the current status
 * @param to the requested status
 * @returns `true` for an allowed move and for `from === to` (a no-op)
 * @example
 * canTransition("running", "paused"); // true
 * canTransition("completed", "running"); // false
 */
export function canTransition(from: WorkflowStatus, to: WorkflowStatus): boolean {
  return from === to || NEXT[from].includes(to);
}

/**
 * Checks a status change at a boundary, where a forbidden move is the caller's error.
 * @param from the current status
 * @param to the requested status
 * @throws ChorusError `VALIDATION_FAILED` at `/status`, with `details: { from, to, allowed }`
 * @example
 * assertTransition(record.status, update.status);
 */
export function assertTransition(from: WorkflowStatus, to: WorkflowStatus): void {
  if (canTransition(from, to)) return;
  const allowed = NEXT[from];
  const options = allowed.length === 0 ? "it is final" : `it can go to ${allowed.join(", ")}`;
  throw new ChorusError("VALIDATION_FAILED", `a ${from} workflow cannot become ${to}: ${options}`, {
    path: "/status",
    details: { from, to, allowed: [...allowed] },
  });
}

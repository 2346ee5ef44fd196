/**
 * Benchmark workflow states of ~1 KB, ~100 KB and ~1 MB, valid against core's
 * `WorkflowStateDocument`: core's benchmark tasks (`@chorus/core/bench/fixtures`) filed under
 * their ids (3, 300 and 3,000 of them), and the small change the benchmark commits (one task's
 * status). Deterministic, so every run measures the same data.
 */
import {
  type BenchTask,
  type BenchWorkflow,
  benchWorkflow,
  STATUSES,
  task,
  taskId,
} from "@chorus/core/bench/fixtures";

export { jsonBytes } from "@chorus/core/bench/fixtures";

/** A benchmark workflow state. */
export interface BenchState extends BenchWorkflow {
  tasks: Record<string, BenchTask>;
}

/**
 * @param taskCount how many tasks
 * @returns a workflow state with that many tasks, keyed by id
 */
export function workflowState(taskCount: number): BenchState {
  const tasks: Record<string, BenchTask> = {};
  for (let index = 0; index < taskCount; index++) tasks[taskId(index)] = task(index);
  return { ...benchWorkflow(), tasks };
}

/** One small change: a task's new status. */
export interface SmallChange {
  id: string;
  status: string;
}

function nextStatus(current: string | undefined, n: number): string {
  const others = STATUSES.filter((status) => status !== current);
  return others[n % others.length] ?? "pending";
}

/**
 * The `n`th small change: walks the tasks and cycles statuses, so every change is a real one.
 * @param state the state it applies to
 * @param n a counter
 * @returns which task gets which status, different from its current one
 */
export function smallChange(state: BenchState, n: number): SmallChange {
  const ids = Object.keys(state.tasks);
  const id = ids[(n * 7919) % ids.length] ?? taskId(0);
  return { id, status: nextStatus(state.tasks[id]?.status, n) };
}

/**
 * Small changes to commit one after another, each a real change once the earlier ones landed.
 * @param state the state the first applies to
 * @param start the counter of the first
 * @param count how many
 * @returns the changes, in order
 */
export function changeSequence(state: BenchState, start: number, count: number): SmallChange[] {
  const statuses = new Map(Object.values(state.tasks).map((task) => [task.id, task.status]));
  const ids = [...statuses.keys()];
  const changes: SmallChange[] = [];
  for (let n = start; n < start + count; n++) {
    const id = ids[(n * 7919) % ids.length] ?? taskId(0);
    const status = nextStatus(statuses.get(id), n);
    statuses.set(id, status);
    changes.push({ id, status });
  }
  return changes;
}

/**
 * @param change a small change
 * @returns it as a JSON Patch
 */
export function asPatch(
  change: SmallChange,
): Array<{ op: "replace"; path: string; value: string }> {
  return [{ op: "replace", path: `/tasks/${change.id}/status`, value: change.status }];
}

/**
 * @param state a state
 * @param change a small change
 * @returns a new state with the change applied, sharing the untouched tasks
 */
export function applyChange(state: BenchState, change: SmallChange): BenchState {
  const before = state.tasks[change.id];
  if (before === undefined) throw new Error(`no task ${change.id}`);
  return { ...state, tasks: { ...state.tasks, [change.id]: { ...before, status: change.status } } };
}

/**
 * Benchmark workflow states of ~1 KB, ~100 KB and ~1 MB, valid against core's
 * `WorkflowStateDocument`: tasks filed under their ids (3, 300 and 3,000 of them), and the
 * small change the benchmark commits (one task's status). Deterministic, so every run measures
 * the same data. Task shape after packages/core/bench/fixtures.ts.
 */

const STATUSES = ["pending", "assigned", "running", "completed", "failed"] as const;

/** One benchmark task. */
export interface BenchTask {
  id: string;
  title: string;
  status: string;
  assignee: string;
  capabilities: string[];
  attempts: number;
  updatedAt: number;
  result: { summary: string; score: number };
  notes: string;
}

/** A benchmark workflow state. */
export interface BenchState {
  id: string;
  name: string;
  status: "running";
  priority: "normal";
  context: { userId: string; tags: string[] };
  metadata: Record<string, string>;
  tasks: Record<string, BenchTask>;
}

/** @returns the id of task `index` */
export function taskId(index: number): string {
  return `task-${String(index).padStart(5, "0")}`;
}

function task(index: number): BenchTask {
  return {
    id: taskId(index),
    title: `Review module ${index} for consistency`,
    status: STATUSES[index % STATUSES.length] ?? "pending",
    assignee: `agent-${index % 17}`,
    capabilities: ["review", index % 2 === 0 ? "typescript" : "rust"],
    attempts: index % 3,
    updatedAt: 1_764_000_000_000 + index * 1000,
    result: {
      summary: `Checked ${index * 7} lines; ${index % 5} findings.`,
      score: (index % 100) / 100,
    },
    notes: `Agent ${index % 17} left context for the next reviewer: module ${index} depends on ${index + 1}.`,
  };
}

/**
 * @param taskCount how many tasks
 * @returns a workflow state with that many tasks, keyed by id
 */
export function workflowState(taskCount: number): BenchState {
  const tasks: Record<string, BenchTask> = {};
  for (let index = 0; index < taskCount; index++) tasks[taskId(index)] = task(index);
  return {
    id: "wf-bench",
    name: "Benchmark workflow",
    status: "running",
    priority: "normal",
    context: { userId: "user-1", tags: ["bench", "review"] },
    metadata: { createdBy: "bench" },
    tasks,
  };
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

/**
 * @param value a JSON value
 * @returns its size in bytes as UTF-8 JSON
 */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value));
}

/**
 * Generated workflow states for the benchmarks: ~1 KB, ~100 KB and ~1 MB, their tasks as
 * id-keyed arrays of 3, 300 and 3,000 (the shape where array diffs differ most), plus the
 * changes the benchmarks apply to them. Deterministic, so every run measures the same data.
 */
import type { JsonObject, JsonValue } from "../src/index.ts";

/** The statuses generated tasks cycle through. */
export const STATUSES = ["pending", "ready", "claimed", "completed", "failed"] as const;

/** One generated task. A type alias, not an interface, so that it is also a `JsonObject`. */
export type BenchTask = {
  id: string;
  title: string;
  status: string;
  assignee: string;
  capabilities: string[];
  attempts: number;
  updatedAt: number;
  result: { summary: string; score: number };
  notes: string;
};

/**
 * @param index the task's position
 * @returns the id of task `index`, e.g. `task-00042`
 */
export function taskId(index: number): string {
  return `task-${String(index).padStart(5, "0")}`;
}

/**
 * @param index the task's position; every member derives from it
 * @returns task `index`, the same on every run
 */
export function task(index: number): BenchTask {
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

/** The members of a generated workflow state other than its tasks. */
export type BenchWorkflow = {
  id: string;
  name: string;
  status: "running";
  priority: "normal";
  context: { userId: string; tags: string[] };
  metadata: Record<string, string>;
};

/** @returns the members of a generated workflow state other than its tasks, a fresh copy */
export function benchWorkflow(): BenchWorkflow {
  return {
    id: "wf-bench",
    name: "Benchmark workflow",
    status: "running",
    priority: "normal",
    context: { userId: "user-1", tags: ["bench", "review"] },
    metadata: { createdBy: "bench" },
  };
}

/**
 * @param taskCount how many tasks
 * @returns a workflow state with that many tasks
 */
export function workflowState(taskCount: number): JsonObject {
  return {
    ...benchWorkflow(),
    tasks: Array.from({ length: taskCount }, (_, index) => task(index)),
  };
}

function tasksOf(state: JsonObject): JsonObject[] {
  return state.tasks as JsonObject[];
}

/**
 * @param state a generated state
 * @returns a copy with one task's status changed and one task appended
 */
export function smallChange(state: JsonObject): JsonObject {
  const tasks = tasksOf(state).slice();
  const middle = Math.floor(tasks.length / 2);
  tasks[middle] = { ...(tasks[middle] as JsonObject), status: "completed" };
  tasks.push(task(tasks.length + 100_000));
  return { ...state, tasks };
}

/**
 * @param state a generated state
 * @returns a copy with every tenth task's status and result edited
 */
export function largeChange(state: JsonObject): JsonObject {
  const tasks = tasksOf(state).map((t, index) =>
    index % 10 === 0 ? { ...t, status: "failed", result: { summary: "re-run", score: 0 } } : t,
  );
  return { ...state, tasks };
}

/**
 * Two concurrent small edits to the same base, on different tasks.
 * @param state a generated state
 * @returns `ours` (one status changed) and `theirs` (another status changed, one task appended)
 */
export function concurrentChanges(state: JsonObject): { ours: JsonObject; theirs: JsonObject } {
  const tasks = tasksOf(state);
  const ours = tasks.slice();
  ours[0] = { ...(ours[0] as JsonObject), status: "running", assignee: "agent-a" };
  const theirs = tasks.slice();
  const last = theirs.length - 1;
  theirs[last] = { ...(theirs[last] as JsonObject), status: "completed" };
  theirs.push(task(tasks.length + 200_000));
  return { ours: { ...state, tasks: ours }, theirs: { ...state, tasks: theirs } };
}

/**
 * @param value a JSON value
 * @returns its size in bytes as UTF-8 JSON
 */
export function jsonBytes(value: JsonValue | unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).length;
}

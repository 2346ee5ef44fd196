import type { Priority } from "./schemas/priority.ts";
import type { Task } from "./schemas/task.ts";

/** A task with every member the task board relies on present. */
export type BoardTask = Task &
  Required<
    Pick<
      Task,
      | "type"
      | "priority"
      | "requiredCapabilities"
      | "dependsOn"
      | "attempt"
      | "attemptBase"
      | "maxAttempts"
      | "leaseMs"
      | "createdAt"
      | "updatedAt"
    >
  >;

/** The priority of a task that names none. */
export const DEFAULT_PRIORITY = "normal" satisfies Priority;

/**
 * Reads a task with the board's defaults for what a hand-written task may leave out (those of
 * `NewTask`; no time means the epoch), so every transition sees the same complete shape.
 * @param task a task from a workflow's state
 * @returns the task with its defaults filled in
 * @example
 * withDefaults({ id: "t1", status: "ready" }).priority; // "normal"
 */
export function withDefaults(task: Task): BoardTask {
  return {
    ...task,
    type: task.type ?? "task",
    priority: task.priority ?? DEFAULT_PRIORITY,
    requiredCapabilities: task.requiredCapabilities ?? [],
    dependsOn: task.dependsOn ?? [],
    attempt: task.attempt ?? 0,
    attemptBase: task.attemptBase ?? 0,
    maxAttempts: task.maxAttempts ?? 3,
    leaseMs: task.leaseMs ?? 30_000,
    createdAt: task.createdAt ?? 0,
    updatedAt: task.updatedAt ?? task.createdAt ?? 0,
  };
}

import { ChorusError } from "./errors.ts";
import type { Task } from "./schemas/task.ts";

/**
 * Checks a new task's `dependsOn` against the workflow's tasks: each must name another task
 * that exists, and following dependencies from them must never lead back to the new task.
 * @param tasks the workflow's tasks, without the new one
 * @param id the new task's id
 * @param dependsOn what it depends on
 * @throws ChorusError `VALIDATION_FAILED` at `/dependsOn`: `details` names the entry (`index`,
 *   `taskId`) for an unknown task or the task itself, or lists a `cycle` found
 * @example
 * checkDependencies({ a: { id: "a", status: "ready" } }, "b", ["a"]); // fine
 */
export function checkDependencies(
  tasks: Readonly<Record<string, Task>>,
  id: string,
  dependsOn: readonly string[],
): void {
  // Issue 14 puts every dependency error at `/dependsOn` itself; which entry is in `details`.
  for (const [index, dependency] of dependsOn.entries()) {
    if (dependency === id) {
      throw new ChorusError("VALIDATION_FAILED", `task ${id} cannot depend on itself`, {
        path: "/dependsOn",
        details: { index, taskId: dependency },
      });
    }
    if (!Object.hasOwn(tasks, dependency)) {
      throw new ChorusError("VALIDATION_FAILED", `dependsOn names an unknown task: ${dependency}`, {
        path: "/dependsOn",
        details: { index, taskId: dependency },
      });
    }
  }
  const cycle = pathTo(tasks, dependsOn, id);
  if (cycle !== undefined) {
    throw new ChorusError(
      "VALIDATION_FAILED",
      `dependsOn would make a cycle: ${[id, ...cycle].join(" → ")}`,
      { path: "/dependsOn", details: { cycle: [id, ...cycle] } },
    );
  }
}

// A dependency chain from `starts` to `target` (existing tasks may name ids not yet created,
// when they were written by hand), found depth first; each task is visited once.
function pathTo(
  tasks: Readonly<Record<string, Task>>,
  starts: readonly string[],
  target: string,
): string[] | undefined {
  const seen = new Set<string>();
  const visit = (id: string): string[] | undefined => {
    if (id === target) return [id];
    if (seen.has(id)) return undefined;
    seen.add(id);
    const task = Object.hasOwn(tasks, id) ? tasks[id] : undefined;
    for (const next of task?.dependsOn ?? []) {
      const rest = visit(next);
      if (rest !== undefined) return [id, ...rest];
    }
    return undefined;
  };
  for (const start of starts) {
    const found = visit(start);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * @param tasks the workflow's tasks
 * @param dependsOn a task's dependencies
 * @returns whether every one of them is `completed`
 */
export function dependenciesMet(
  tasks: Readonly<Record<string, Task>>,
  dependsOn: readonly string[],
): boolean {
  return dependsOn.every(
    (dependency) => Object.hasOwn(tasks, dependency) && tasks[dependency]?.status === "completed",
  );
}

/**
 * The `pending` tasks whose every dependency is now `completed`, made `ready`.
 * @param tasks the workflow's tasks, with the latest transitions applied
 * @param now the current time
 * @returns the released tasks
 * @example
 * releaseDependents({ a: { id: "a", status: "completed" },
 *   b: { id: "b", status: "pending", dependsOn: ["a"] } }, 5); // [{ id: "b", status: "ready", … }]
 */
export function releaseDependents(tasks: Readonly<Record<string, Task>>, now: number): Task[] {
  return Object.values(tasks)
    .filter((task) => task.status === "pending" && dependenciesMet(tasks, task.dependsOn ?? []))
    .map((task) => ({ ...task, status: "ready" as const, updatedAt: now }));
}

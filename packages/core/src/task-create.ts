import { ChorusError } from "./errors.ts";
import { deepEqual, type JsonValue } from "./json.ts";
import type { NewTask } from "./schemas/new-task.ts";
import type { Task } from "./schemas/task.ts";
import { checkDependencies, dependenciesMet } from "./task-dependencies.ts";

/** The members of a task that its creation set, compared when the same id is created again. */
const CREATED = [
  "type",
  "title",
  "input",
  "requiredCapabilities",
  "priority",
  "dependsOn",
  "maxAttempts",
  "leaseMs",
] as const;

/**
 * Creates a task on the board: `pending` while a dependency is not `completed`, else `ready`.
 * Creating an id that exists is idempotent: the same request (equal after defaults) gives the
 * existing task back, `replayed`; another is refused.
 * @param tasks the workflow's tasks
 * @param input the new task, with defaults applied and its id chosen
 * @param now the current time
 * @returns the task, and whether it existed already
 * @throws ChorusError `ALREADY_EXISTS` at `/id` for another task under the same id;
 *   `VALIDATION_FAILED` at `/dependsOn` for an unknown dependency, itself, or a cycle
 * @example
 * createTask({}, { id: "t1", type: "build", requiredCapabilities: [], priority: "normal",
 *   dependsOn: [], maxAttempts: 3, leaseMs: 30000 }, Date.now()).task.status; // "ready"
 */
export function createTask(
  tasks: Readonly<Record<string, Task>>,
  input: NewTask & { id: string },
  now: number,
): { task: Task; replayed: boolean } {
  const existing = Object.hasOwn(tasks, input.id) ? tasks[input.id] : undefined;
  if (existing !== undefined) {
    if (sameCreation(existing, input)) return { task: existing, replayed: true };
    throw new ChorusError("ALREADY_EXISTS", `task ${input.id} exists with another body`, {
      path: "/id",
    });
  }
  checkDependencies(tasks, input.id, input.dependsOn);
  const task: Task = {
    id: input.id,
    type: input.type,
    status: dependenciesMet(tasks, input.dependsOn) ? "ready" : "pending",
    priority: input.priority,
    requiredCapabilities: input.requiredCapabilities,
    dependsOn: input.dependsOn,
    attempt: 0,
    attemptBase: 0,
    maxAttempts: input.maxAttempts,
    leaseMs: input.leaseMs,
    createdAt: now,
    updatedAt: now,
  };
  if (input.title !== undefined) task.title = input.title;
  if (input.input !== undefined) task.input = input.input;
  return { task, replayed: false };
}

function sameCreation(existing: Task, input: NewTask): boolean {
  return CREATED.every((member) =>
    deepEqual(
      (existing[member] ?? null) as JsonValue,
      ((input as Record<string, unknown>)[member] ?? null) as JsonValue,
    ),
  );
}

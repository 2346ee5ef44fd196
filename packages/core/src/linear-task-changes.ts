import { isJsonObject, type JsonValue } from "./json.ts";
import type { SyncedTaskFields } from "./linear-fields.ts";
import { parsePointer } from "./pointer.ts";
import type { StateChange } from "./schemas/state-change.ts";
import { TaskStatus } from "./schemas/task.ts";

/** The synced members one version changed on one task. */
export interface TaskFieldChange {
  taskId: string;
  /** the task appeared in this version (its members are all given) */
  created: boolean;
  fields: SyncedTaskFields;
}

function fieldsOf(value: JsonValue | undefined): SyncedTaskFields {
  const fields: SyncedTaskFields = {};
  if (!isJsonObject(value)) return fields;
  if (typeof value.title === "string") fields.title = value.title;
  if (TaskStatus.options.includes(value.status as TaskStatus)) {
    fields.status = value.status as TaskStatus;
  }
  fields.assignee = typeof value.assignee === "string" ? value.assignee : null;
  return fields;
}

function member(
  fields: SyncedTaskFields,
  name: string,
  value: JsonValue | undefined,
): SyncedTaskFields {
  if (name === "title" && typeof value === "string") return { ...fields, title: value };
  if (name === "status" && TaskStatus.options.includes(value as TaskStatus)) {
    return { ...fields, status: value as TaskStatus };
  }
  if (name === "assignee") {
    return { ...fields, assignee: typeof value === "string" ? value : null };
  }
  return fields;
}

/**
 * Reads which tasks a version created or changed, and their synced members (title, status,
 * assignee) after it, from the version's {@link StateChange}s: a task added or replaced at
 * `/tasks/{id}` (or every task of a `/tasks` set whole) gives all its members; a change inside
 * it gives that member. Removed tasks and other members are left out.
 * @param changes the version's changes, in order
 * @returns one entry per task, in the order first touched
 * @example
 * taskFieldChanges(event.changes); // [{ taskId: "t1", created: false, fields: { status: "completed" } }]
 */
export function taskFieldChanges(changes: readonly StateChange[]): TaskFieldChange[] {
  const byTask = new Map<string, TaskFieldChange>();
  const touch = (taskId: string, update: (entry: TaskFieldChange) => TaskFieldChange) => {
    const entry = byTask.get(taskId) ?? { taskId, created: false, fields: {} };
    byTask.set(taskId, update(entry));
  };
  for (const change of changes) {
    const [root, taskId, name] = parsePointer(change.path);
    // A whole state replaced (path "") holds its tasks the way `/tasks` set whole does.
    const whole = root === undefined && isJsonObject(change.newValue);
    if (root !== "tasks" && !whole) continue;
    if (taskId === undefined) {
      const tasks =
        whole && isJsonObject(change.newValue) ? change.newValue.tasks : change.newValue;
      if (!isJsonObject(tasks)) continue;
      for (const [id, task] of Object.entries(tasks)) {
        touch(id, () => ({ taskId: id, created: true, fields: fieldsOf(task) }));
      }
    } else if (name === undefined) {
      if (change.newValue === undefined) continue;
      touch(taskId, () => ({
        taskId,
        created: change.oldValue === undefined,
        fields: fieldsOf(change.newValue),
      }));
    } else {
      touch(taskId, (entry) => ({ ...entry, fields: member(entry.fields, name, change.newValue) }));
    }
  }
  return [...byTask.values()].filter((entry) => Object.keys(entry.fields).length > 0);
}

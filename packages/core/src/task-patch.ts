import { diff } from "./diff.ts";
import { isJsonObject, type JsonValue } from "./json.ts";
import type { JsonPatch } from "./json-patch.ts";
import { escapeToken } from "./pointer.ts";
import type { Task } from "./schemas/task.ts";

/**
 * The JSON Patch that writes tasks into a workflow state at `/tasks/{id}`: a new task is added
 * whole, a changed one gets only the members that changed, so the change feed and subscribers
 * see e.g. `/tasks/t1/status` go from `ready` to `claimed`.
 * @param state the state the patch applies to
 * @param tasks the tasks after their transitions
 * @returns the patch (empty when nothing changed)
 * @example
 * tasksPatch({ tasks: {} }, [task]); // [{ op: "add", path: "/tasks/t1", value: task }]
 */
export function tasksPatch(state: JsonValue, tasks: readonly Task[]): JsonPatch {
  const patch: JsonPatch = [];
  const board = isJsonObject(state) ? state.tasks : undefined;
  const existing = isJsonObject(board) ? board : undefined;
  if (existing === undefined) patch.push({ op: "add", path: "/tasks", value: {} });
  for (const task of tasks) {
    const path = `/tasks/${escapeToken(task.id)}`;
    const before =
      existing !== undefined && Object.hasOwn(existing, task.id) ? existing[task.id] : undefined;
    if (before === undefined) {
      patch.push({ op: "add", path, value: task as JsonValue });
      continue;
    }
    for (const op of diff(before, task as JsonValue)) {
      // diff may move or copy array items within the task: `from` is relative to it too.
      patch.push(
        "from" in op
          ? { ...op, path: `${path}${op.path}`, from: `${path}${op.from}` }
          : { ...op, path: `${path}${op.path}` },
      );
    }
  }
  return patch;
}

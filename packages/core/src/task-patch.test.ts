import { describe, expect, it } from "vitest";
import { applyPatch } from "./patch.ts";
import type { Task } from "./schemas/task.ts";
import { tasksPatch } from "./task-patch.ts";

describe("tasksPatch", () => {
  it("adds a new task whole and /tasks when the state has none", () => {
    const task: Task = { id: "a/b", status: "ready" };
    expect(tasksPatch({}, [task])).toEqual([
      { op: "add", path: "/tasks", value: {} },
      { op: "add", path: "/tasks/a~1b", value: task },
    ]);
  });

  it("writes only the members of a task that changed", () => {
    const before = { tasks: { t1: { id: "t1", status: "ready", attempt: 0 } } };
    const after: Task = { id: "t1", status: "claimed", attempt: 1, assignee: "a1" };
    const patch = tasksPatch(before, [after]);
    expect(patch.map((op) => op.path).sort()).toEqual([
      "/tasks/t1/assignee",
      "/tasks/t1/attempt",
      "/tasks/t1/status",
    ]);
    expect(applyPatch(before, patch)).toEqual({ tasks: { t1: after } });
  });
});

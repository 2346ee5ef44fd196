import { describe, expect, it } from "vitest";
import type { Task } from "./schemas/task.ts";
import { checkDependencies, releaseDependents } from "./task-dependencies.ts";
import { catchError } from "./testing/catch-error.ts";

describe("checkDependencies", () => {
  const tasks: Record<string, Task> = {
    a: { id: "a", status: "ready" },
    b: { id: "b", status: "pending", dependsOn: ["a"] },
  };

  it("accepts dependencies on existing tasks", () => {
    expect(() => checkDependencies(tasks, "c", ["a", "b"])).not.toThrow();
  });

  it("refuses an unknown task at /dependsOn, naming the entry", () => {
    const error = catchError(() => checkDependencies(tasks, "c", ["a", "zz"]));
    expect([error.code, error.path]).toEqual(["VALIDATION_FAILED", "/dependsOn"]);
    expect(error.details).toEqual({ index: 1, taskId: "zz" });
  });

  it("refuses the task itself at /dependsOn", () => {
    const error = catchError(() => checkDependencies(tasks, "c", ["a", "c"]));
    expect([error.code, error.path]).toEqual(["VALIDATION_FAILED", "/dependsOn"]);
    expect(error.details).toEqual({ index: 1, taskId: "c" });
  });

  it("refuses a cycle through tasks that already name the new one", () => {
    const handWritten: Record<string, Task> = {
      ...tasks,
      x: { id: "x", status: "pending", dependsOn: ["y"] },
      y: { id: "y", status: "pending", dependsOn: ["new"] },
    };
    const error = catchError(() => checkDependencies(handWritten, "new", ["a", "x"]));
    expect([error.code, error.path]).toEqual(["VALIDATION_FAILED", "/dependsOn"]);
    expect(error.details).toEqual({ cycle: ["new", "x", "y", "new"] });
  });
});

describe("releaseDependents", () => {
  it("makes ready the pending tasks whose every dependency completed", () => {
    const released = releaseDependents(
      {
        a: { id: "a", status: "completed" },
        b: { id: "b", status: "ready" },
        one: { id: "one", status: "pending", dependsOn: ["a"] },
        two: { id: "two", status: "pending", dependsOn: ["a", "b"] },
        gone: { id: "gone", status: "pending", dependsOn: ["missing"] },
      },
      7,
    );
    expect(released).toEqual([{ id: "one", status: "ready", dependsOn: ["a"], updatedAt: 7 }]);
  });
});

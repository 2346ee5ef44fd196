import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { NewTask } from "./schemas/new-task.ts";
import type { Task } from "./schemas/task.ts";
import { createTask } from "./task-create.ts";
import { catchError } from "./testing/catch-error.ts";

const input = (body: v.InferInput<typeof NewTask> & { id: string }) => ({
  ...v.parse(NewTask, body),
  id: body.id,
});

describe("createTask", () => {
  it("creates a ready task with the defaults", () => {
    const { task, replayed } = createTask({}, input({ id: "t1", type: "build" }), 5);
    expect(replayed).toBe(false);
    expect(task).toEqual({
      id: "t1",
      type: "build",
      status: "ready",
      priority: "normal",
      requiredCapabilities: [],
      dependsOn: [],
      attempt: 0,
      attemptBase: 0,
      maxAttempts: 3,
      leaseMs: 30_000,
      createdAt: 5,
      updatedAt: 5,
    });
  });

  it("creates a pending task while a dependency has not completed", () => {
    const tasks: Record<string, Task> = {
      a: { id: "a", status: "completed" },
      b: { id: "b", status: "claimed" },
    };
    expect(createTask(tasks, input({ id: "c", type: "x", dependsOn: ["a"] }), 1).task.status).toBe(
      "ready",
    );
    expect(
      createTask(tasks, input({ id: "c", type: "x", dependsOn: ["a", "b"] }), 1).task.status,
    ).toBe("pending");
  });

  it("gives the same task back for the same body after defaults", () => {
    const first = createTask({}, input({ id: "t1", type: "build" }), 5).task;
    const again = createTask({ t1: first }, input({ id: "t1", type: "build", maxAttempts: 3 }), 9);
    expect(again).toEqual({ task: first, replayed: true });
  });

  it("refuses another body under an existing id", () => {
    const first = createTask({}, input({ id: "t1", type: "build" }), 5).task;
    const error = catchError(() =>
      createTask({ t1: first }, input({ id: "t1", type: "build", priority: "high" }), 9),
    );
    expect([error.code, error.path]).toEqual(["ALREADY_EXISTS", "/id"]);
  });

  it("refuses an unknown dependency", () => {
    const error = catchError(() =>
      createTask({}, input({ id: "t1", type: "x", dependsOn: ["q"] }), 1),
    );
    expect([error.code, error.path]).toEqual(["VALIDATION_FAILED", "/dependsOn"]);
  });
});

describe("NewTask", () => {
  it("refuses out-of-range numbers and unknown members with their paths", () => {
    const result = v.safeParse(NewTask, { type: "x", maxAttempts: 0, leaseMs: 999, colour: 1 });
    expect(result.issues?.map((issue) => v.getDotPath(issue))).toEqual([
      "maxAttempts",
      "leaseMs",
      "colour",
    ]);
  });
});

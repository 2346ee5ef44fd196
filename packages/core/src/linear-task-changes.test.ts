import { describe, expect, it } from "vitest";
import { linearIssueId } from "./linear-issue-id.ts";
import { taskFieldChanges } from "./linear-task-changes.ts";
import type { StateChange } from "./schemas/state-change.ts";

const change = (path: string, values: Partial<StateChange>): StateChange => ({
  id: "c",
  workflowId: "w",
  type: "task-update",
  path,
  timestamp: 1,
  agentId: "a",
  ...values,
});

describe("taskFieldChanges", () => {
  it("reads a created task whole, and a member change by itself", () => {
    expect(
      taskFieldChanges([
        change("/tasks/t1", { newValue: { id: "t1", status: "ready", title: "A" } }),
        change("/tasks/t2/status", { oldValue: "ready", newValue: "claimed" }),
        change("/tasks/t2/assignee", { newValue: "agent-1" }),
        change("/tasks/t2/lease", { newValue: { id: "l", expiresAt: 5 } }),
      ]),
    ).toEqual([
      { taskId: "t1", created: true, fields: { title: "A", status: "ready", assignee: null } },
      { taskId: "t2", created: false, fields: { status: "claimed", assignee: "agent-1" } },
    ]);
  });

  it("reads every task of /tasks (or a whole state) set at once", () => {
    const tasks = {
      a: { id: "a", status: "ready" },
      b: { id: "b", status: "pending", title: "B" },
    };
    for (const set of [
      change("/tasks", { newValue: tasks }),
      change("", { newValue: { tasks } }),
    ]) {
      expect(taskFieldChanges([set]).map((c) => [c.taskId, c.created, c.fields.status])).toEqual([
        ["a", true, "ready"],
        ["b", true, "pending"],
      ]);
    }
  });

  it("leaves out removals, other members and other parts of the state", () => {
    expect(
      taskFieldChanges([
        change("/tasks/t1", { oldValue: { id: "t1", status: "ready" } }),
        change("/tasks/t1/priority", { newValue: "high" }),
        change("/agents/a1/status", { newValue: "idle" }),
      ]),
    ).toEqual([]);
  });

  it("sees an assignee removed as unassigned", () => {
    expect(taskFieldChanges([change("/tasks/t1/assignee", { oldValue: "a" })])).toEqual([
      { taskId: "t1", created: false, fields: { assignee: null } },
    ]);
  });
});

describe("linearIssueId", () => {
  it("derives one stable v4-form UUID per workflow and task", async () => {
    const id = await linearIssueId("w1", "t1");
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await linearIssueId("w1", "t1")).toBe(id);
    expect(await linearIssueId("w1", "t2")).not.toBe(id);
    expect(await linearIssueId("w1t", "1")).not.toBe(await linearIssueId("w1", "t1"));
  });
});

import { describe, expect, it } from "vitest";
import { issueFieldsFor, syncedTaskFields, taskFieldsFor } from "./linear-fields.ts";
import type { LinearWorkflowState } from "./schemas/linear-config.ts";

const states: LinearWorkflowState[] = [
  { id: "s-todo", name: "Todo", type: "unstarted", position: 0 },
  { id: "s-progress", name: "In Progress", type: "started", position: 1 },
  { id: "s-done", name: "Done", type: "completed", position: 2 },
];
const context = {
  states,
  config: { stateMap: { claimed: "In Progress" }, assigneeMap: { "agent-1": "user-1" } },
};

describe("syncedTaskFields", () => {
  it("reads title, status and assignee, null when unassigned", () => {
    expect(syncedTaskFields({ id: "t1", status: "ready", title: "A" })).toEqual({
      title: "A",
      status: "ready",
      assignee: null,
    });
  });
});

describe("issueFieldsFor", () => {
  it("translates status through the state map and assignee through the assignee map", () => {
    expect(issueFieldsFor({ title: "A", status: "claimed", assignee: "agent-1" }, context)).toEqual(
      { title: "A", stateId: "s-progress", assigneeId: "user-1" },
    );
  });

  it("leaves the issue unassigned for an unmapped agent and omits a status with no state", () => {
    expect(issueFieldsFor({ status: "cancelled", assignee: "agent-9" }, context)).toEqual({
      assigneeId: null,
    });
  });
});

describe("taskFieldsFor", () => {
  it("translates a state back to a status and a user back to an agent", () => {
    expect(taskFieldsFor({ stateId: "s-done", assigneeId: "user-1", title: "B" }, context)).toEqual(
      { title: "B", status: "completed", assignee: "agent-1" },
    );
    expect(taskFieldsFor({ stateId: "s-progress" }, context)).toEqual({ status: "claimed" });
  });

  it("ignores an unknown user, and unassigns when Linear unassigns", () => {
    expect(taskFieldsFor({ assigneeId: "user-9" }, context)).toEqual({});
    expect(taskFieldsFor({ assigneeId: null }, context)).toEqual({ assignee: null });
  });
});

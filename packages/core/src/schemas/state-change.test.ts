import { describe, expect, it } from "vitest";
import { validate } from "../validate.ts";
import { StateChange } from "./state-change.ts";

const change = {
  id: "c:0",
  workflowId: "wf-1",
  type: "task-update",
  path: "/tasks/t1/status",
  oldValue: "running",
  newValue: "completed",
  timestamp: 1_764_000_000_000,
  agentId: "agent-1",
};

describe("StateChange", () => {
  it("accepts a change, and one without old or new value", () => {
    expect(validate(StateChange, change)).toEqual({ success: true, output: change });
    const { oldValue: _, ...added } = change;
    expect(validate(StateChange, added).success).toBe(true);
  });

  it("refuses unknown types, malformed pointers and non-JSON values", () => {
    const result = validate(StateChange, {
      ...change,
      type: "renamed",
      path: "tasks/t1",
      newValue: Number.NaN,
    });
    expect(result.success === false && result.issues.map((issue) => issue.path)).toEqual([
      "/type",
      "/path",
      "/newValue",
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { stateForStatus, statusForState } from "./linear-status-map.ts";
import type { LinearWorkflowState } from "./schemas/linear-config.ts";

const states: LinearWorkflowState[] = [
  { id: "s-done", name: "Done", type: "completed", position: 4 },
  { id: "s-backlog", name: "Backlog", type: "backlog", position: 0 },
  { id: "s-todo", name: "Todo", type: "unstarted", position: 1 },
  { id: "s-review", name: "In Review", type: "started", position: 3 },
  { id: "s-progress", name: "In Progress", type: "started", position: 2 },
  { id: "s-cancel", name: "Canceled", type: "canceled", position: 5 },
];

describe("stateForStatus", () => {
  it("maps each status to the first state of its default type", () => {
    expect(stateForStatus("pending", states)?.id).toBe("s-backlog");
    expect(stateForStatus("ready", states)?.id).toBe("s-todo");
    expect(stateForStatus("claimed", states)?.id).toBe("s-progress");
    expect(stateForStatus("failed", states)?.id).toBe("s-progress");
    expect(stateForStatus("completed", states)?.id).toBe("s-done");
    expect(stateForStatus("dead", states)?.id).toBe("s-cancel");
    expect(stateForStatus("cancelled", states)?.id).toBe("s-cancel");
  });

  it("follows the state map by id or by name, case-insensitive", () => {
    expect(stateForStatus("claimed", states, { claimed: "s-review" })?.id).toBe("s-review");
    expect(stateForStatus("claimed", states, { claimed: "in review" })?.id).toBe("s-review");
  });

  it("finds no state for a mapped name the team lacks, nor for a type it lacks", () => {
    expect(stateForStatus("ready", states, { ready: "Nope" })).toBeUndefined();
    expect(stateForStatus("completed", states.slice(1, 3))).toBeUndefined();
  });
});

describe("statusForState", () => {
  it("maps a state back by its type", () => {
    expect(statusForState("s-done", states)).toBe("completed");
    expect(statusForState("s-todo", states)).toBe("ready");
    expect(statusForState("s-backlog", states)).toBe("ready");
    expect(statusForState("s-cancel", states)).toBe("cancelled");
  });

  it("leaves a started state and an unknown state without a status", () => {
    expect(statusForState("s-progress", states)).toBeUndefined();
    expect(statusForState("s-missing", states)).toBeUndefined();
  });

  it("prefers the state map, and the first status in its order when several name the state", () => {
    expect(statusForState("s-review", states, { claimed: "In Review" })).toBe("claimed");
    expect(statusForState("s-todo", states, { pending: "Todo", ready: "Todo" })).toBe("ready");
    expect(statusForState("s-backlog", states, { pending: "Backlog" })).toBe("pending");
  });

  it("round-trips every status the map names", () => {
    const stateMap = { ready: "Todo", claimed: "In Progress", completed: "Done" } as const;
    for (const status of ["ready", "claimed", "completed"] as const) {
      const state = stateForStatus(status, states, stateMap);
      expect(state && statusForState(state.id, states, stateMap)).toBe(status);
    }
  });
});

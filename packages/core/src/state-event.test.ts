import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { checksum } from "./checksum.ts";
import { diff } from "./diff.ts";
import type { JsonValue } from "./json.ts";
import { applyPatch } from "./patch.ts";
import { StateEvent } from "./schemas/state-event.ts";
import { compileEventSelector, type StateEventHeader, toStateEvent } from "./state-event.ts";

const before: JsonValue = {
  status: "running",
  tasks: { t1: { id: "t1", status: "pending", title: "a" } },
  agents: { a1: { id: "a1", status: "idle" } },
};
const after: JsonValue = {
  status: "paused",
  tasks: {
    t1: { id: "t1", status: "running", title: "b" },
    t2: { id: "t2", status: "pending", title: "c" },
  },
  agents: { a1: { id: "a1", status: "busy" } },
};

async function eventOf(from: JsonValue, to: JsonValue) {
  const header: StateEventHeader = {
    workflowId: "wf-1",
    version: 7,
    branch: "main",
    parents: [6],
    author: "agent-1",
    changeDescription: "work",
    timestamp: 1_764_000_000_000,
    checksum: await checksum(to),
  };
  return toStateEvent(header, diff(from, to), from);
}

describe("toStateEvent", () => {
  it("builds an event whose patch turns the parent's state into one with the checksum", async () => {
    const event = await eventOf(before, after);
    expect(v.parse(StateEvent, event)).toEqual(event);
    expect(await checksum(applyPatch(before, event.patch))).toBe(event.checksum);
    expect(event.changes.map((change) => [change.id, change.type, change.path])).toEqual([
      ["wf-1@7:0", "workflow-status", "/status"],
      ["wf-1@7:1", "task-update", "/tasks/t1/status"],
      ["wf-1@7:2", "task-update", "/tasks/t1/title"],
      ["wf-1@7:3", "task-update", "/tasks/t2"],
      ["wf-1@7:4", "agent-status", "/agents/a1/status"],
    ]);
    expect(event.changes[0]).toMatchObject({
      oldValue: "running",
      newValue: "paused",
      agentId: "agent-1",
      workflowId: "wf-1",
    });
  });
});

describe("compileEventSelector", () => {
  it("passes every event unchanged without a filter", async () => {
    const event = await eventOf(before, after);
    expect(compileEventSelector({})(event)).toBe(event);
  });

  it("keeps only operations and changes at, inside or holding a watched path", async () => {
    const event = await eventOf(before, after);
    const selected = compileEventSelector({ paths: ["/tasks/*/status"] })(event);
    expect(selected?.patch.map((op) => op.path)).toEqual(["/tasks/t1/status", "/tasks/t2"]);
    expect(selected?.changes.map((change) => change.path)).toEqual([
      "/tasks/t1/status",
      "/tasks/t2",
    ]);
    expect(selected).toMatchObject({ version: 7, checksum: event.checksum });
  });

  it("keeps only changes of the types asked for, and combines types with paths", async () => {
    const event = await eventOf(before, after);
    const byType = compileEventSelector({ types: ["agent-status", "workflow-status"] })(event);
    expect(byType?.changes.map((change) => change.path)).toEqual(["/status", "/agents/a1/status"]);
    const both = compileEventSelector({ paths: ["/tasks/**"], types: ["workflow-status"] })(event);
    expect(both).toBeUndefined();
  });

  it("drops an event with nothing left, and keeps a root replacement for any filter", async () => {
    const event = await eventOf(before, after);
    expect(compileEventSelector({ paths: ["/context"] })(event)).toBeUndefined();
    const whole = await eventOf({}, after);
    const rooted = { ...whole, patch: [{ op: "replace" as const, path: "", value: after }] };
    const kept = compileEventSelector({ paths: ["/context"], types: ["task-update"] })(rooted);
    expect(kept?.patch).toEqual(rooted.patch);
  });

  it("keeps a move by where it came from", async () => {
    const event = await eventOf(before, after);
    const moved = {
      ...event,
      patch: [{ op: "move" as const, from: "/tasks/t1", path: "/done/t1" }],
    };
    expect(compileEventSelector({ paths: ["/tasks/*"] })(moved)?.patch).toEqual(moved.patch);
    expect(compileEventSelector({ paths: ["/agents"] })(moved)?.patch ?? []).toEqual([]);
  });
});

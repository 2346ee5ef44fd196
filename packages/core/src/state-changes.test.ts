import fc from "fast-check";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import type { JsonObject, JsonValue } from "./json.ts";
import type { JsonPatchOperation } from "./json-patch.ts";
import { applyPatch } from "./patch.ts";
import { StateChange } from "./schemas/state-change.ts";
import { changeType, toStateChanges } from "./state-changes.ts";
import { catchError } from "./testing/catch-error.ts";

const context = { workflowId: "wf-1", agentId: "agent-1", timestamp: 1_764_000_000_000 };

const before = {
  id: "wf-1",
  status: "running",
  priority: "normal",
  tasks: { t1: { id: "t1", status: "running", tags: ["a", "b"] } },
  agents: { a1: { id: "a1", status: "busy" } },
  metadata: { note: "x" },
};

function summarize(changes: StateChange[]) {
  return changes.map(({ id, type, path, oldValue, newValue }) => ({
    id,
    type,
    path,
    ...(oldValue === undefined ? {} : { oldValue }),
    ...(newValue === undefined ? {} : { newValue }),
  }));
}

describe("toStateChanges", () => {
  it("maps each operation to a change typed by the part of the state it touches", () => {
    const patch: JsonPatchOperation[] = [
      { op: "replace", path: "/tasks/t1/status", value: "completed" },
      { op: "replace", path: "/agents/a1/status", value: "idle" },
      { op: "replace", path: "/status", value: "completed" },
      { op: "replace", path: "/priority", value: "high" },
      { op: "remove", path: "/metadata/note" },
      { op: "add", path: "/metadata/owner", value: { team: "core" } },
    ];
    const changes = toStateChanges(patch, before, { ...context, idPrefix: "v2" });
    expect(summarize(changes)).toEqual([
      {
        id: "v2:0",
        type: "task-update",
        path: "/tasks/t1/status",
        oldValue: "running",
        newValue: "completed",
      },
      {
        id: "v2:1",
        type: "agent-status",
        path: "/agents/a1/status",
        oldValue: "busy",
        newValue: "idle",
      },
      {
        id: "v2:2",
        type: "workflow-status",
        path: "/status",
        oldValue: "running",
        newValue: "completed",
      },
      {
        id: "v2:3",
        type: "workflow-status",
        path: "/priority",
        oldValue: "normal",
        newValue: "high",
      },
      { id: "v2:4", type: "metadata-update", path: "/metadata/note", oldValue: "x" },
      { id: "v2:5", type: "metadata-update", path: "/metadata/owner", newValue: { team: "core" } },
    ]);
    for (const change of changes) {
      expect(v.is(StateChange, change)).toBe(true);
      expect(change).toMatchObject({
        workflowId: "wf-1",
        agentId: "agent-1",
        timestamp: context.timestamp,
      });
    }
  });

  it("reads each old value after the operations before it", () => {
    const patch: JsonPatchOperation[] = [
      { op: "add", path: "/tasks/t2", value: { id: "t2", status: "pending" } },
      { op: "replace", path: "/tasks/t2/status", value: "assigned" },
      { op: "replace", path: "/tasks/t2/status", value: "running" },
    ];
    expect(summarize(toStateChanges(patch, before, context)).map((c) => c.oldValue)).toEqual([
      undefined,
      "pending",
      "assigned",
    ]);
  });

  it("gives an add into an array no old value, and an add over a member the one it replaced", () => {
    const patch: JsonPatchOperation[] = [
      { op: "add", path: "/tasks/t1/tags/0", value: "z" },
      { op: "add", path: "/tasks/t1/tags/-", value: "end" },
      { op: "add", path: "/status", value: "paused" },
    ];
    expect(summarize(toStateChanges(patch, before, context))).toMatchObject([
      { path: "/tasks/t1/tags/0", newValue: "z" },
      { path: "/tasks/t1/tags/-", newValue: "end" },
      { path: "/status", oldValue: "running", newValue: "paused" },
    ]);
    expect(toStateChanges(patch, before, context)[0]).not.toHaveProperty("oldValue");
  });

  it("turns a move into a removal and an addition, and a copy into an addition", () => {
    const patch: JsonPatchOperation[] = [
      { op: "move", from: "/metadata/note", path: "/tasks/t1/note" },
      { op: "copy", from: "/tasks/t1/tags", path: "/metadata/tags" },
      { op: "move", from: "/tasks/t1/tags/0", path: "/tasks/t1/tags/1" },
      { op: "move", from: "/status", path: "/status" },
    ];
    expect(summarize(toStateChanges(patch, before, { ...context, idPrefix: "m" }))).toEqual([
      { id: "m:0", type: "metadata-update", path: "/metadata/note", oldValue: "x" },
      { id: "m:1", type: "task-update", path: "/tasks/t1/note", newValue: "x" },
      { id: "m:2", type: "metadata-update", path: "/metadata/tags", newValue: ["a", "b"] },
      { id: "m:3", type: "task-update", path: "/tasks/t1/tags/0", oldValue: "a" },
      { id: "m:4", type: "task-update", path: "/tasks/t1/tags/1", newValue: "a" },
    ]);
  });

  it("skips test operations but still requires them to hold", () => {
    const passing: JsonPatchOperation[] = [
      { op: "test", path: "/status", value: "running" },
      { op: "replace", path: "/status", value: "paused" },
    ];
    expect(toStateChanges(passing, before, context).map((c) => c.id)).toEqual([
      `wf-1:${context.timestamp}:0`,
    ]);
    const failing: JsonPatchOperation[] = [{ op: "test", path: "/status", value: "paused" }];
    expect(catchError(() => toStateChanges(failing, before, context)).code).toBe(
      "PATCH_TEST_FAILED",
    );
  });

  it("refuses an operation that does not apply, as applyPatch does", () => {
    const patch: JsonPatchOperation[] = [{ op: "remove", path: "/tasks/t9" }];
    expect(catchError(() => toStateChanges(patch, before, context)).code).toBe("INVALID_PATCH");
  });

  it("derives the same changes, ids included, every time", () => {
    const patch: JsonPatchOperation[] = [{ op: "replace", path: "/metadata/note", value: "y" }];
    expect(toStateChanges(patch, before, context)).toEqual(toStateChanges(patch, before, context));
  });

  it("records, per path, the value before the patch first and the value after it last", () => {
    const keys = ["status", "priority", "note"];
    const operation = fc.record({
      op: fc.constantFrom("add" as const, "replace" as const),
      path: fc.constantFrom(...keys.map((key) => `/${key}`)),
      value: fc.jsonValue(),
    });
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 12 }), (patch) => {
        const start: JsonObject = { status: "running", priority: "low", note: null };
        const ops = patch as JsonPatchOperation[];
        const after = applyPatch(start, ops) as JsonObject;
        const changes = toStateChanges(ops, start, context);
        expect(changes.map((change) => change.id)).toEqual(
          ops.map((_, n) => `wf-1:${context.timestamp}:${n}`),
        );
        for (const key of keys) {
          const touching = changes.filter((change) => change.path === `/${key}`);
          if (touching.length === 0) continue;
          expect(touching[0]?.oldValue).toEqual(start[key]);
          expect(touching.at(-1)?.newValue).toEqual(after[key] as JsonValue);
        }
      }),
    );
  });
});

describe("changeType", () => {
  it.each([
    ["/tasks", "task-update"],
    ["/tasks/t1/result/x", "task-update"],
    ["/agents/a1", "agent-status"],
    ["/status", "workflow-status"],
    ["/priority", "workflow-status"],
    ["/metadata/status", "metadata-update"],
    ["/data/tasks", "metadata-update"],
    ["/name", "metadata-update"],
    ["", "metadata-update"],
  ])("classifies %j as %s", (path, type) => {
    expect(changeType(path)).toBe(type);
  });
});

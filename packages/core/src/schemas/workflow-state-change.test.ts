import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { JsonValue } from "../json.ts";
import type { JsonPatch, JsonPatchOperation } from "../json-patch.ts";
import { applyPatch } from "../patch.ts";
import { validateStateChange, validateStateDocument } from "./workflow-state.ts";

const valid = {
  id: "wf-1",
  name: "Build",
  status: "running",
  priority: "high",
  tasks: {
    t1: { id: "t1", status: "completed", assignee: "a1" },
    t2: { id: "t2", status: "failed", error: { message: "timeout" } },
    t3: { id: "t3", status: "pending" },
  },
  agents: { a1: { id: "a1", type: "builder", status: "busy" } },
  context: { tags: ["ci"] },
  metadata: { any: [1] },
} as const;

// Writes that keep the state valid and writes that break it, at every level the partial check
// distinguishes: the root, a whole member, one keyed item, a field inside one.
const operations: JsonPatchOperation[] = [
  { op: "replace", path: "/tasks/t1/status", value: "claimed" },
  { op: "replace", path: "/tasks/t1/status", value: "exploded" },
  { op: "remove", path: "/tasks/t2/id" },
  { op: "remove", path: "/tasks/t3" },
  { op: "add", path: "/tasks/t4", value: { id: "t4", status: "pending" } },
  { op: "add", path: "/tasks/t5", value: { id: "t6", status: "pending" } },
  { op: "add", path: "/tasks/__proto__", value: { id: "__proto__", status: "pending" } },
  { op: "add", path: "/tasks/t1/extra", value: { any: "json" } },
  { op: "move", from: "/tasks/t1", path: "/tasks/t9" },
  { op: "copy", from: "/tasks/t2", path: "/tasks/t2b" },
  { op: "replace", path: "/tasks", value: { x: { id: "y", status: "pending" } } },
  { op: "replace", path: "/tasks", value: [] },
  { op: "remove", path: "/tasks" },
  { op: "replace", path: "/agents/a1/status", value: 7 },
  { op: "add", path: "/agents/a2", value: { id: "a2", type: "x", status: "idle" } },
  { op: "replace", path: "/status", value: "done" },
  { op: "replace", path: "/name", value: "" },
  { op: "remove", path: "/name" },
  { op: "add", path: "/unknown", value: 1 },
  { op: "add", path: "/context/colour", value: "red" },
  { op: "add", path: "/metadata/note", value: "ok" },
  { op: "replace", path: "", value: { name: "" } },
  { op: "replace", path: "", value: { name: "fine" } },
];

function outcome(result: ReturnType<typeof validateStateDocument>) {
  if (result.success) return "valid";
  return result.issues.map((issue) => `${issue.path}: ${issue.message}`).sort();
}

function touchedPaths(patch: JsonPatch): string[] {
  return patch.flatMap((op) => (op.op === "move" ? [op.path, op.from] : [op.path]));
}

describe("validateStateChange", () => {
  it("reports what validating the whole state reports, for any patch to a valid state", () => {
    expect(validateStateDocument(valid).success).toBe(true);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...operations), { maxLength: 4 }), (patch) => {
        let next: JsonValue;
        try {
          next = applyPatch(valid as unknown as JsonValue, patch);
        } catch {
          return; // a patch that does not apply never reaches validation
        }
        expect(outcome(validateStateChange(next, touchedPaths(patch)))).toEqual(
          outcome(validateStateDocument(next)),
        );
      }),
      { numRuns: 500 },
    );
  });

  it("checks only the touched items: an invalid item nobody touched is not re-reported", () => {
    // Not a state the state manager would hold; it shows the cost is the change's, not the state's.
    const broken = { ...valid, tasks: { ...valid.tasks, t3: { id: "t3", status: "??" } } };
    expect(validateStateChange(broken, ["/tasks/t1/status"]).success).toBe(true);
    expect(outcome(validateStateChange(broken, ["/tasks/t3/status"]))).toEqual(
      outcome(validateStateDocument(broken)),
    );
  });

  it("validates the whole document when the root is replaced or is not an object", () => {
    expect(validateStateChange([], ["/0"]).success).toBe(false);
    const replaced = { status: "x", name: "" };
    expect(outcome(validateStateChange(replaced, [""]))).toEqual(
      outcome(validateStateDocument(replaced)),
    );
    expect(outcome(validateStateDocument(replaced))).toContainEqual(
      expect.stringMatching(/^\/status: /),
    );
  });
});

import { describe, expect, expectTypeOf, it } from "vitest";
import { catchError } from "../testing/catch-error.ts";
import {
  parseState,
  validateState,
  validateStateChange,
  validateStateDocument,
  type WorkflowState,
  type WorkflowStateInput,
} from "./workflow-state.ts";

const minimal = { id: "wf-1", name: "Build", status: "running", priority: "high" };

const full = {
  ...minimal,
  description: "Build and ship",
  tasks: {
    t1: {
      id: "t1",
      title: "Compile",
      status: "completed",
      assignee: "a1",
      requiredCapabilities: ["typescript"],
      result: { artifacts: ["dist/index.js"], ok: true },
      attempt: 1,
      updatedAt: 1_764_000_000_000,
      dependencies: [],
    },
    t2: { id: "t2", status: "failed", assignee: null, error: { message: "timeout", code: "E1" } },
    t3: { id: "t3", status: "pending", error: null },
  },
  agents: { a1: { id: "a1", type: "builder", status: "busy", lastSeen: 1_764_000_000_000 } },
  context: { userId: "u1", tags: ["ci"] },
  metadata: { nested: { any: [1, "json", null] } },
  data: [1, 2, 3],
};

function issuesOf(input: unknown): Array<{ path: string; message: string }> {
  const result = validateState(input);
  if (result.success) throw new Error("expected issues");
  return result.issues;
}

describe("WorkflowState", () => {
  it("accepts id, name, status and priority alone, defaulting the collections to empty", () => {
    const result = validateState(minimal);
    expect(result).toEqual({
      success: true,
      output: { ...minimal, tasks: {}, agents: {}, context: {}, metadata: {} },
    });
  });

  it("gives every parse its own default collections", () => {
    const a = parseState(minimal);
    const b = parseState(minimal);
    expect(a.tasks).not.toBe(b.tasks);
    expect(a.metadata).not.toBe(b.metadata);
  });

  it("keeps every field of a full state, including extra JSON members on tasks", () => {
    expect(parseState(full)).toEqual(full);
  });

  it("types the output with collections present and the input with them optional", () => {
    expectTypeOf<undefined>().not.toExtend<WorkflowState["tasks"]>();
    expectTypeOf<undefined>().toExtend<WorkflowStateInput["tasks"]>();
    const state = parseState(full);
    expectTypeOf(state.tasks.t1?.status).toEqualTypeOf<
      "pending" | "ready" | "claimed" | "completed" | "failed" | "dead" | "cancelled" | undefined
    >();
  });

  it("reports every issue with its JSON Pointer", () => {
    const issues = issuesOf({
      id: "",
      name: "x".repeat(201),
      status: "sleeping",
      priority: "normal",
      tasks: {
        t1: { id: "t1", status: "done", attempt: -1 },
        "a/b": { id: "a/b", status: "pending", assignee: 7 },
      },
      agents: { a1: { id: "a1", status: "idle", lastSeen: Number.POSITIVE_INFINITY } },
      context: { tags: [""] },
    });
    expect(issues.map((issue) => issue.path)).toEqual([
      "/id",
      "/name",
      "/status",
      "/tasks/t1/status",
      "/tasks/t1/attempt",
      "/tasks/a~1b/assignee",
      "/agents/a1/lastSeen",
      "/context/tags/0",
    ]);
  });

  it("requires a task's id to match the key it is filed under", () => {
    const issues = issuesOf({ ...minimal, tasks: { t1: { id: "t2", status: "pending" } } });
    expect(issues).toEqual([{ path: "/tasks/t1/id", message: expect.stringContaining('"t1"') }]);
    expect(issuesOf({ ...minimal, agents: { a: { id: "b", status: "idle" } } })[0]?.path).toBe(
      "/agents/a/id",
    );
  });

  it("refuses ids that would be dropped as prototype keys", () => {
    const tasks = JSON.parse('{"__proto__": {"id": "__proto__", "status": "pending"}}');
    expect(issuesOf({ ...minimal, tasks })[0]?.path).toBe("/tasks/__proto__");
  });

  it("refuses collections that are not objects keyed by id", () => {
    expect(issuesOf({ ...minimal, tasks: [] })[0]?.path).toBe("/tasks");
    expect(issuesOf({ ...minimal, metadata: [1] })[0]?.path).toBe("/metadata");
  });

  it("refuses non-JSON in JSON-valued fields, naming where inside", () => {
    const issues = issuesOf({
      ...minimal,
      metadata: { when: new Date(0) },
      data: { deep: [Number.NaN] },
      tasks: { t1: { id: "t1", status: "pending", result: () => 1, extra: undefined } },
    });
    expect(issues.map((issue) => issue.path)).toEqual([
      "/tasks/t1/result",
      "/tasks/t1/extra",
      "/metadata",
      "/data",
    ]);
    expect(issues[3]?.message).toContain("/deep/0");
  });

  it("refuses undefined where a member is optional, since JSON cannot hold it", () => {
    expect(issuesOf({ ...minimal, description: undefined })[0]?.path).toBe("/description");
  });

  it("refuses unknown top-level members instead of dropping them", () => {
    expect(issuesOf({ ...minimal, stauts: "running" })[0]?.path).toBe("/stauts");
  });

  it("says what is wrong with an unknown member and where free-form content goes", () => {
    const expected = {
      path: "/bad",
      message:
        'unknown member "bad": WorkflowState has id, name, description, status, priority, ' +
        "tasks, agents, context, metadata, data; free-form content goes under /data (or /metadata)",
    };
    expect(issuesOf({ ...minimal, bad: 1 })).toEqual([expected]);
    expect(validateStateDocument({ bad: 1 })).toEqual({ success: false, issues: [expected] });
    expect(validateStateChange({ bad: 1 }, ["/bad"])).toEqual({
      success: false,
      issues: [expected],
    });
  });

  it("says the same of an unknown member of the context", () => {
    expect(issuesOf({ ...minimal, context: { team: "infra" } })).toEqual([
      {
        path: "/context/team",
        message:
          'unknown member "team": WorkflowContext has userId, tags; ' +
          "anything else goes under /metadata",
      },
    ]);
  });
});

describe("parseState", () => {
  it("throws VALIDATION_FAILED at the first issue with all issues in details", () => {
    const error = catchError(() => parseState({ ...minimal, priority: "urgent", status: 1 }));
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.path).toBe("/status");
    expect(error.details).toEqual({
      issues: [
        { path: "/status", message: expect.any(String) },
        { path: "/priority", message: expect.any(String) },
      ],
    });
  });

  it("refuses an array as a workflow state, whole or partial", () => {
    expect(validateState([])).toMatchObject({ success: false, issues: [{ path: "" }] });
    expect(validateStateDocument([])).toMatchObject({ success: false, issues: [{ path: "" }] });
    expect(validateStateDocument({})).toMatchObject({ success: true });
  });
});

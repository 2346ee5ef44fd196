import * as v from "valibot";
import { describe, expect, expectTypeOf, it } from "vitest";
import { validate } from "../validate.ts";
import { NewWorkflow, WorkflowRecord, WorkflowUpdate } from "./workflow-record.ts";

const record = {
  id: "wf-1",
  name: "Release 1.4",
  description: "Ship it",
  status: "pending",
  priority: "high",
  tags: ["release", "q3"],
  userId: "u1",
  createdAt: 1_764_000_000_000,
  updatedAt: 1_764_000_000_500,
  createdBy: "alice",
} as const;

function pathsOf(schema: v.GenericSchema, input: unknown): string[] {
  const result = validate(schema, input);
  if (result.success) throw new Error("expected issues");
  return result.issues.map((issue) => issue.path);
}

describe("WorkflowRecord", () => {
  it("accepts a full record and one without the optional members", () => {
    expect(validate(WorkflowRecord, record)).toEqual({ success: true, output: record });
    const { description: _d, userId: _u, ...bare } = record;
    expect(validate(WorkflowRecord, bare)).toEqual({ success: true, output: bare });
  });

  it("accepts optional members sent as undefined, as RPC callers may", () => {
    expect(validate(WorkflowRecord, { ...record, description: undefined }).success).toBe(true);
  });

  it("reports every bad member at its path", () => {
    expect(
      pathsOf(WorkflowRecord, {
        ...record,
        id: "",
        name: " ",
        status: "done",
        priority: 1,
        tags: ["ok", ""],
        createdAt: -1,
      }),
    ).toEqual(["/id", "/name", "/status", "/priority", "/tags/1", "/createdAt"]);
  });

  it("refuses unknown members, more than 50 tags and an updatedAt before createdAt", () => {
    expect(pathsOf(WorkflowRecord, { ...record, state: {} })).toEqual(["/state"]);
    expect(pathsOf(WorkflowRecord, { ...record, tags: Array(51).fill("t") })).toEqual(["/tags"]);
    expect(pathsOf(WorkflowRecord, { ...record, updatedAt: record.createdAt - 1 })).toEqual([
      "/updatedAt",
    ]);
  });
});

describe("NewWorkflow", () => {
  it("needs only a name and defaults the priority to normal", () => {
    expect(v.parse(NewWorkflow, { name: "Build" })).toEqual({ name: "Build", priority: "normal" });
  });

  it("keeps the context and any JSON initial state", () => {
    const body = {
      name: "Build",
      description: "CI",
      priority: "low",
      context: { userId: "u1", tags: ["ci"] },
      initialState: { tasks: {}, data: [1, null] },
    };
    expect(v.parse(NewWorkflow, body)).toEqual(body);
  });

  it("refuses unknown members at the top and in the context, a blank or long name, bad JSON", () => {
    expect(
      pathsOf(NewWorkflow, {
        name: "x".repeat(201),
        status: "running",
        priority: "urgent",
        context: { user: "u1", tags: "ci" },
        initialState: Number.NaN,
      }),
    ).toEqual(["/name", "/priority", "/context/tags", "/context/user", "/initialState", "/status"]);
    expect(pathsOf(NewWorkflow, { name: "   " })).toEqual(["/name"]);
    expect(pathsOf(NewWorkflow, "Build")).toEqual([""]);
  });

  it("types priority as present after parsing and optional before", () => {
    expectTypeOf<v.InferOutput<typeof NewWorkflow>["priority"]>().toEqualTypeOf<
      "low" | "normal" | "high" | "critical"
    >();
    expectTypeOf<undefined>().toExtend<v.InferInput<typeof NewWorkflow>["priority"]>();
  });
});

describe("WorkflowUpdate", () => {
  it("accepts any one member or several", () => {
    for (const update of [
      { status: "paused" },
      { name: "Renamed" },
      { description: "" },
      { priority: "critical" },
      { tags: [] },
      { status: "running", tags: ["a"] },
    ]) {
      expect(validate(WorkflowUpdate, update)).toEqual({ success: true, output: update });
    }
  });

  it("refuses an empty update, unknown members and bad values", () => {
    expect(pathsOf(WorkflowUpdate, {})).toEqual([""]);
    expect(pathsOf(WorkflowUpdate, { status: "paused", createdBy: "x" })).toEqual(["/createdBy"]);
    expect(pathsOf(WorkflowUpdate, { status: "stopped", name: " " })).toEqual(["/status", "/name"]);
    expect(pathsOf(WorkflowUpdate, { status: undefined })).toEqual(["/status"]);
  });
});

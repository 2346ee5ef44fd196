import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { validate } from "../validate.ts";
import { PointerGlobList, StateChangeTypeList } from "./event-filter.ts";

function issuesOf(schema: v.GenericSchema, input: unknown) {
  const result = validate(schema, input);
  return result.success ? [] : result.issues;
}

describe("PointerGlobList", () => {
  it("splits comma-separated globs", () => {
    expect(v.parse(PointerGlobList, "/tasks/*/status,/status")).toEqual([
      "/tasks/*/status",
      "/status",
    ]);
    expect(v.parse(PointerGlobList, "/config/**")).toEqual(["/config/**"]);
  });

  it("refuses a glob that is no pointer, an empty one, and too many, at the list", () => {
    const issues = issuesOf(PointerGlobList, "/ok,tasks,,/a~2");
    expect(issues.map((issue) => issue.path)).toEqual(["", "", ""]);
    expect(issues.map((issue) => issue.message)).toEqual([
      expect.stringContaining('glob 2 ("tasks") is not a JSON Pointer'),
      "Invalid paths: glob 3 is empty",
      expect.stringContaining("glob 4"),
    ]);
    expect(issuesOf(PointerGlobList, Array(17).fill("/a").join(","))[0]?.message).toBe(
      "Invalid paths: at most 16 globs",
    );
    expect(issuesOf(PointerGlobList, `/${"a".repeat(1024)}`)).toHaveLength(1);
  });
});

describe("StateChangeTypeList", () => {
  it("splits comma-separated change types", () => {
    expect(v.parse(StateChangeTypeList, "task-update,workflow-status")).toEqual([
      "task-update",
      "workflow-status",
    ]);
  });

  it("refuses an unknown type, naming it", () => {
    const issues = issuesOf(StateChangeTypeList, "task-update,tasks");
    expect(issues.map((issue) => [issue.path, issue.message])).toEqual([
      ["", expect.stringContaining('type 2 ("tasks") is not one of task-update')],
    ]);
  });
});

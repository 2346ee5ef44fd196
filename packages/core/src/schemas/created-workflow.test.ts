import { describe, expect, it } from "vitest";
import { validate } from "../validate.ts";
import { CreatedWorkflow } from "./created-workflow.ts";

const at = 1_764_000_000_000;
const created = {
  workflow: {
    id: "wf_1",
    name: "Release 1.4",
    status: "pending",
    priority: "normal",
    tags: [],
    createdAt: at,
    updatedAt: at,
    createdBy: "admin",
  },
  version: {
    id: "wf_1@1",
    workflowId: "wf_1",
    version: 1,
    branch: "main",
    parents: [],
    timestamp: at,
    author: "admin",
    changeDescription: "",
    checksum: "0".repeat(64),
  },
};

describe("CreatedWorkflow", () => {
  it("accepts a record with version 1 of the same workflow", () => {
    expect(validate(CreatedWorkflow, created)).toEqual({ success: true, output: created });
  });

  it("refuses a version of another workflow, or a later one", () => {
    for (const version of [
      { ...created.version, workflowId: "wf_2" },
      { ...created.version, id: "wf_1@2", version: 2, parents: ["wf_1@1"] },
    ]) {
      const result = validate(CreatedWorkflow, { ...created, version });
      expect(result.success === false && result.issues.map((issue) => issue.path)).toEqual([
        "/version",
      ]);
    }
  });
});

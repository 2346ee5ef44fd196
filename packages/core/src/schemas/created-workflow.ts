import * as v from "valibot";
import { StateVersion } from "./state-version.ts";
import { WorkflowRecord } from "./workflow-record.ts";

/** A workflow just created: its registry record and version 1 of its state. */
export const CreatedWorkflow = v.pipe(
  v.object({ workflow: WorkflowRecord, version: StateVersion }),
  v.forward(
    v.partialCheck(
      [
        ["workflow", "id"],
        ["version", "workflowId"],
        ["version", "version"],
      ],
      ({ workflow, version }) => version.workflowId === workflow.id && version.version === 1,
      "Invalid version: expected version 1 of the workflow created",
    ),
    ["version"],
  ),
);

/** A workflow just created: its registry record and version 1 of its state. */
export type CreatedWorkflow = v.InferOutput<typeof CreatedWorkflow>;

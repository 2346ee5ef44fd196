import * as v from "valibot";
import { WorkflowRecord } from "./workflow-record.ts";

/** One page of the workflow registry's listing, newest first. */
export const WorkflowPage = v.object({
  workflows: v.array(WorkflowRecord),
  /** pass back as `cursor` for the next page; `null` on the last page */
  nextCursor: v.nullable(v.pipe(v.string(), v.minLength(1))),
});

/** One page of the workflow registry's listing, newest first. */
export type WorkflowPage = v.InferOutput<typeof WorkflowPage>;

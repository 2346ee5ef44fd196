import { WorkflowStatus, WorkflowTag } from "@chorus/core";
import * as v from "valibot";
import { wholeNumber } from "./params.ts";
import { CommitHeaders } from "./state.ts";

/**
 * The headers of `POST /api/workflows`: an `Idempotency-Key` checked as a commit's is. The
 * workflow id is derived from it and the caller, so a retry names the workflow the first made.
 */
export const CreateWorkflowHeaders = v.pick(CommitHeaders, ["idempotency-key"]);

/** The query of `GET /api/workflows`. */
export const ListWorkflowsQuery = v.object({
  status: v.optional(WorkflowStatus),
  tag: v.optional(WorkflowTag),
  limit: v.optional(v.pipe(wholeNumber(1), v.maxValue(100, "Invalid limit: at most 100"))),
  /** the `nextCursor` of the previous page */
  cursor: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(2048))),
});

/** What `GET .../noop` returns. */
export const NoopResult = v.object({ ok: v.literal(true) });

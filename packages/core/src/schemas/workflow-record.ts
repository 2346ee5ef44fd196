import * as v from "valibot";
import { JsonData } from "../json-patch.ts";
import { Id, Timestamp } from "./fields.ts";
import { Priority, WorkflowStatus } from "./workflow-state.ts";

/** A workflow's display name: 1 to 200 characters, not blank. */
export const WorkflowName = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(200),
  v.regex(/\S/, "Invalid name: it is blank"),
);

/** What a workflow is for, up to 2000 characters. */
export const WorkflowDescription = v.pipe(v.string(), v.maxLength(2000));

/** One label used to find workflows, e.g. `ci` or `team:payments`. */
export const WorkflowTag = v.pipe(v.string(), v.minLength(1), v.maxLength(100));

/** A workflow's labels: at most 50 (the registry keeps one index row per tag). */
export const WorkflowTags = v.pipe(v.array(WorkflowTag), v.maxLength(50));

/**
 * What the workflow registry knows about one workflow: the metadata that listing and filtering
 * need, never its state. Optional members also accept an explicit `undefined`, which Workers RPC
 * carries across as a present key when the caller builds the record without
 * `exactOptionalPropertyTypes`.
 */
export const WorkflowRecord = v.pipe(
  v.strictObject({
    id: Id,
    name: WorkflowName,
    description: v.optional(WorkflowDescription),
    status: WorkflowStatus,
    priority: Priority,
    tags: WorkflowTags,
    /** who the workflow runs for (`context.userId` at creation) */
    userId: v.optional(Id),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    /** the authenticated identity that created it */
    createdBy: Id,
  }),
  v.forward(
    v.partialCheck(
      [["createdAt"], ["updatedAt"]],
      (record) => record.updatedAt >= record.createdAt,
      "Invalid updatedAt: it is before createdAt",
    ),
    ["updatedAt"],
  ),
);

/** What the workflow registry knows about one workflow. */
export type WorkflowRecord = v.InferOutput<typeof WorkflowRecord>;

/**
 * The body of `POST /api/workflows`. Unknown members are refused, so a misspelt field is
 * reported rather than lost; `initialState` becomes version 1 (`{}` when absent).
 * @example
 * v.parse(NewWorkflow, { name: "Release 1.4", context: { tags: ["release"] } });
 * // { name: "Release 1.4", priority: "normal", context: { tags: ["release"] } }
 */
export const NewWorkflow = v.strictObject({
  name: WorkflowName,
  description: v.exactOptional(WorkflowDescription),
  priority: v.exactOptional(Priority, "normal"),
  context: v.exactOptional(
    v.strictObject({ userId: v.exactOptional(Id), tags: v.exactOptional(WorkflowTags) }),
  ),
  initialState: v.exactOptional(JsonData),
});

/** The body of `POST /api/workflows`, defaults applied. */
export type NewWorkflow = v.InferOutput<typeof NewWorkflow>;

/** The body of `POST /api/workflows` as a client may send it. */
export type NewWorkflowInput = v.InferInput<typeof NewWorkflow>;

/**
 * The body of `PATCH /api/workflows/{id}`: at least one member, unknown members refused. `tags`
 * replaces the whole set; a `status` change must be allowed by `canTransition`.
 * @example
 * v.parse(WorkflowUpdate, { status: "paused" });
 */
export const WorkflowUpdate = v.pipe(
  v.strictObject({
    status: v.exactOptional(WorkflowStatus),
    name: v.exactOptional(WorkflowName),
    description: v.exactOptional(WorkflowDescription),
    priority: v.exactOptional(Priority),
    tags: v.exactOptional(WorkflowTags),
  }),
  // minEntries rather than a check, so the OpenAPI document shows it as `minProperties: 1`.
  v.minEntries(
    1,
    "Invalid update: send at least one of status, name, description, priority and tags",
  ),
);

/** The body of `PATCH /api/workflows/{id}`. */
export type WorkflowUpdate = v.InferOutput<typeof WorkflowUpdate>;

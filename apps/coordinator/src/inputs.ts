import { Id, WorkflowRecord, WorkflowStatus, WorkflowTag, WorkflowUpdate } from "@chorus/core";
import * as v from "valibot";
import { Cursor, Position } from "./cursor.ts";

/** The largest page `listWorkflows` returns. */
export const MAX_LIMIT = 100;

/**
 * An RPC argument: `schema`, but refusing arrays first, which valibot's `object` would take as
 * an object with no members (and so as a listing with no filters).
 */
function rpcObject<const S extends v.GenericSchema<object, object>>(schema: S) {
  return v.pipe(
    v.custom<v.InferInput<S>>(
      (input) => typeof input === "object" && input !== null && !Array.isArray(input),
      (issue) =>
        `Invalid type: Expected an object but received ${Array.isArray(issue.input) ? "an array" : issue.received}`,
    ),
    schema,
  );
}

/** Adds a workflow to the registry. */
export const RegisterInput = rpcObject(v.object({ record: WorkflowRecord }));
export type RegisterInput = v.InferOutput<typeof RegisterInput>;
export type RegisterRequest = v.InferInput<typeof RegisterInput>;

/** Addresses one workflow's record. */
export const WorkflowRef = rpcObject(v.object({ workflowId: Id }));
export type WorkflowRef = v.InferOutput<typeof WorkflowRef>;
export type WorkflowRefRequest = v.InferInput<typeof WorkflowRef>;

/** Changes a workflow's metadata or status on behalf of `actor` (the authenticated identity). */
export const UpdateInput = rpcObject(
  v.object({ workflowId: Id, update: WorkflowUpdate, actor: Id }),
);
export type UpdateInput = v.InferOutput<typeof UpdateInput>;
export type UpdateRequest = v.InferInput<typeof UpdateInput>;

/** A page of the registry, newest first, optionally only one status and/or one tag. */
export const ListInput = rpcObject(
  v.object({
    status: v.optional(WorkflowStatus),
    tag: v.optional(WorkflowTag),
    limit: v.optional(
      v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(MAX_LIMIT)),
      20,
    ),
    cursor: v.optional(Cursor),
  }),
);
export type ListInput = v.InferOutput<typeof ListInput>;
export type ListRequest = v.InferInput<typeof ListInput>;

/** One shard's part of a listing: up to `limit` rows after `after`. */
export const ShardPageInput = rpcObject(
  v.object({
    status: v.optional(WorkflowStatus),
    tag: v.optional(WorkflowTag),
    limit: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(MAX_LIMIT + 1)),
    after: v.optional(Position),
  }),
);
export type ShardPageInput = v.InferOutput<typeof ShardPageInput>;
export type ShardPageRequest = v.InferInput<typeof ShardPageInput>;

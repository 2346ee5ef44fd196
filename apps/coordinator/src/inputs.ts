import { Id, WorkflowRecord, WorkflowStatus, WorkflowTag, WorkflowUpdate } from "@chorus/core";
import * as v from "valibot";
import { Cursor, Position } from "./cursor.ts";

/** The largest page `listWorkflows` returns. */
export const MAX_LIMIT = 100;

/** Adds a workflow to the registry. */
export const RegisterInput = v.object({ record: WorkflowRecord });
export type RegisterInput = v.InferOutput<typeof RegisterInput>;
export type RegisterRequest = v.InferInput<typeof RegisterInput>;

/** Addresses one workflow's record. */
export const WorkflowRef = v.object({ workflowId: Id });
export type WorkflowRef = v.InferOutput<typeof WorkflowRef>;
export type WorkflowRefRequest = v.InferInput<typeof WorkflowRef>;

/** Changes a workflow's metadata or status on behalf of `actor` (the authenticated identity). */
export const UpdateInput = v.object({ workflowId: Id, update: WorkflowUpdate, actor: Id });
export type UpdateInput = v.InferOutput<typeof UpdateInput>;
export type UpdateRequest = v.InferInput<typeof UpdateInput>;

/**
 * A page of the registry, newest first, optionally only one status and/or one tag. Every field
 * is optional, so it is core's `validateOrThrow` that refuses an array for it.
 */
export const ListInput = v.object({
  status: v.optional(WorkflowStatus),
  tag: v.optional(WorkflowTag),
  limit: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(MAX_LIMIT)), 20),
  cursor: v.optional(Cursor),
});
export type ListInput = v.InferOutput<typeof ListInput>;
export type ListRequest = v.InferInput<typeof ListInput>;

/** One shard's part of a listing: up to `limit` rows after `after`. */
export const ShardPageInput = v.object({
  status: v.optional(WorkflowStatus),
  tag: v.optional(WorkflowTag),
  limit: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(MAX_LIMIT + 1)),
  after: v.optional(Position),
});
export type ShardPageInput = v.InferOutput<typeof ShardPageInput>;
export type ShardPageRequest = v.InferInput<typeof ShardPageInput>;

import * as v from "valibot";
import { JsonData } from "../json-patch.ts";
import { Capabilities, Count, Id, Timestamp } from "./fields.ts";

/** Where a task is in its life. */
export const TaskStatus = v.picklist([
  "pending",
  "assigned",
  "running",
  "completed",
  "failed",
  "cancelled",
]);

/** Where a task is in its life. */
export type TaskStatus = v.InferOutput<typeof TaskStatus>;

/** Why a task failed: a message, or an object with one (and any JSON besides); `null` clears it. */
export const TaskError = v.nullable(
  v.union([
    v.string(),
    v.objectWithRest({ message: v.string(), code: v.exactOptional(v.string()) }, JsonData),
  ]),
);

/** Why a task failed. */
export type TaskError = v.InferOutput<typeof TaskError>;

/**
 * One task of a workflow. Members beyond these are kept, as long as they are JSON, so agents can
 * attach what their work needs (e.g. `dependencies`, `progress`).
 */
export const Task = v.objectWithRest(
  {
    id: Id,
    title: v.exactOptional(v.pipe(v.string(), v.maxLength(500))),
    status: TaskStatus,
    /** the agent working on it; `null` when unassigned */
    assignee: v.exactOptional(v.nullable(Id)),
    capabilities: v.exactOptional(Capabilities),
    result: v.exactOptional(JsonData),
    error: v.exactOptional(TaskError),
    attempts: v.exactOptional(Count),
    updatedAt: v.exactOptional(Timestamp),
  },
  JsonData,
);

/** One task of a workflow. */
export type Task = v.InferOutput<typeof Task>;

import * as v from "valibot";
import { JsonData } from "../json-patch.ts";
import { Capabilities, Count, Id, Timestamp } from "./fields.ts";
import { Priority } from "./priority.ts";

/**
 * Where a task is in its life: `pending` waits on `dependsOn`, `ready` may be claimed,
 * `claimed` is held under a lease, `failed` will be ready again after its backoff (`retryAt`),
 * `dead` ran out of attempts, and `completed` and `cancelled` are final.
 */
export const TaskStatus = v.picklist([
  "pending",
  "ready",
  "claimed",
  "completed",
  "failed",
  "dead",
  "cancelled",
]);

/** Where a task is in its life. */
export type TaskStatus = v.InferOutput<typeof TaskStatus>;

/** How urgent a task is: claims take `critical` first and `low` last. */
export const TaskPriority = Priority;

/** How urgent a task is. */
export type TaskPriority = v.InferOutput<typeof TaskPriority>;

/** Why a task failed: a message, or an object with one (and any JSON besides); `null` clears it. */
export const TaskError = v.nullable(
  v.union([
    v.string(),
    v.objectWithRest({ message: v.string(), code: v.exactOptional(v.string()) }, JsonData),
  ]),
);

/** Why a task failed. */
export type TaskError = v.InferOutput<typeof TaskError>;

/** How long a lease may run without a heartbeat, in milliseconds. */
export const LeaseMs = v.pipe(v.number(), v.safeInteger(), v.minValue(1000), v.maxValue(3_600_000));

/** How many attempts a task gets before it is dead-lettered. */
export const MaxAttempts = v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(100));

/** The lease a claimed task is held under, as the task records it. */
export const Lease = v.object({
  id: Id,
  /** when the lease runs out unless heartbeated, in milliseconds since the epoch */
  expiresAt: Timestamp,
});

/** The lease a claimed task is held under. */
export type Lease = v.InferOutput<typeof Lease>;

/**
 * One task of a workflow, filed at `/tasks/{id}`. The task board writes every member; a task
 * written by hand needs only `id` and `status`, and the board reads the others' defaults
 * (see `NewTask`). Members beyond these are kept, as long as they are JSON.
 */
export const Task = v.objectWithRest(
  {
    id: Id,
    /** what kind of work it is, e.g. `review` */
    type: v.exactOptional(v.pipe(v.string(), v.minLength(1), v.maxLength(100))),
    title: v.exactOptional(v.pipe(v.string(), v.maxLength(500))),
    status: TaskStatus,
    priority: v.exactOptional(TaskPriority),
    input: v.exactOptional(JsonData),
    /** capabilities an agent must have every one of to claim it */
    requiredCapabilities: v.exactOptional(Capabilities),
    /** ids of tasks that must complete before it is ready */
    dependsOn: v.exactOptional(v.array(Id)),
    /** 0 until the first claim; one more with each claim */
    attempt: v.exactOptional(Count),
    /** the attempt after which its current budget of `maxAttempts` began (0, or where a retry left it) */
    attemptBase: v.exactOptional(Count),
    maxAttempts: v.exactOptional(MaxAttempts),
    leaseMs: v.exactOptional(LeaseMs),
    /** the agent holding it, or that held it last; `null` when unassigned */
    assignee: v.exactOptional(v.nullable(Id)),
    /** the current lease while `claimed`; the completing lease once `completed` */
    lease: v.exactOptional(Lease),
    /** when a `failed` task becomes `ready` again */
    retryAt: v.exactOptional(Timestamp),
    result: v.exactOptional(JsonData),
    error: v.exactOptional(TaskError),
    createdAt: v.exactOptional(Timestamp),
    updatedAt: v.exactOptional(Timestamp),
  },
  JsonData,
);

/** One task of a workflow. */
export type Task = v.InferOutput<typeof Task>;

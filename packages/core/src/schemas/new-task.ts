import * as v from "valibot";
import { JsonData } from "../json-patch.ts";
import { Capabilities, Id } from "./fields.ts";
import { LeaseMs, MaxAttempts, TaskPriority } from "./task.ts";

/**
 * What creates a task, with its defaults: the body of `POST /api/workflows/{id}/tasks`. Two
 * creations with the same `id` are the same request when they are equal after these defaults.
 */
export const NewTask = v.strictObject({
  /** chosen by the caller for an idempotent create; a random UUID when absent */
  id: v.exactOptional(Id),
  type: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  title: v.exactOptional(v.pipe(v.string(), v.maxLength(500))),
  input: v.exactOptional(JsonData),
  requiredCapabilities: v.optional(Capabilities, () => []),
  priority: v.optional(TaskPriority, "normal"),
  dependsOn: v.optional(v.array(Id), () => []),
  maxAttempts: v.optional(MaxAttempts, 3),
  leaseMs: v.optional(LeaseMs, 30_000),
});

/** A task to create, with defaults applied. */
export type NewTask = v.InferOutput<typeof NewTask>;

/** A task to create, as it may be sent. */
export type NewTaskInput = v.InferInput<typeof NewTask>;

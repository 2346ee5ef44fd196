import * as v from "valibot";
import { StateVersion } from "./state-version.ts";
import { Task } from "./task.ts";

/**
 * What a task transition answers: the task after it and the version that committed it. A
 * replay (the same create or completion again) answers the first outcome with `replayed: true`.
 */
export const TaskChange = v.object({
  task: Task,
  version: StateVersion,
  replayed: v.exactOptional(v.boolean()),
});

/** What a task transition answers. */
export type TaskChange = v.InferOutput<typeof TaskChange>;

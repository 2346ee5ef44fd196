import * as v from "valibot";
import { Task } from "./task.ts";

/** A list of a workflow's tasks, as `GET /api/workflows/{id}/tasks` answers it. */
export const TaskList = v.object({ tasks: v.array(Task) });

/** A list of a workflow's tasks. */
export type TaskList = v.InferOutput<typeof TaskList>;

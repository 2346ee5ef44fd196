import * as v from "valibot";

/** How urgent a workflow or a task is, from `low` to `critical`. */
export const Priority = v.picklist(["low", "normal", "high", "critical"]);

/** How urgent a workflow or a task is. */
export type Priority = v.InferOutput<typeof Priority>;

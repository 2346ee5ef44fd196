import * as v from "valibot";
import { Count, Id, Timestamp } from "./fields.ts";
import { Task } from "./task.ts";

/** A lease as its holder sees it: which attempt it is and when it runs out. */
export const LeaseGrant = v.object({
  id: Id,
  /** the task's `attempt` this lease is for */
  attempt: Count,
  expiresAt: Timestamp,
});

/** A lease as its holder sees it. */
export type LeaseGrant = v.InferOutput<typeof LeaseGrant>;

/** One claimed task and the lease it is held under. */
export const TaskClaim = v.object({ task: Task, lease: LeaseGrant });

/** One claimed task and its lease. */
export type TaskClaim = v.InferOutput<typeof TaskClaim>;

/** What a claim answers: the tasks claimed, none when nothing was ready. */
export const TaskClaims = v.object({ claims: v.array(TaskClaim) });

/** What a claim answers. */
export type TaskClaims = v.InferOutput<typeof TaskClaims>;

import type { Result, TaskChange, TaskClaims } from "@chorus/core";

/**
 * The task methods of the state manager's `StateService` (and `commit`, for agent status) as the
 * coordinator calls them: each
 * workflow's StateManager is its task board and commits every transition with its version
 * row, authored by the lease's holder (`agent:<id>`). `taskBoard` narrows the `STATE` binding
 * to these, so the coordinator depends on no more of the state manager than it uses.
 */
export interface TaskBoard {
  /** the create body (core's `NewTask`) spread beside the workflow and author */
  createTask(
    input: { workflowId: string; author: string } & Record<string, unknown>,
  ): Promise<Result<TaskChange>>;
  claimTasks(input: {
    workflowId: string;
    /** with `maxConcurrency`, the board caps the claim at it less the agent's leases there */
    agent: { id: string; capabilities: string[]; maxConcurrency?: number };
    max: number;
    leaseMs?: number;
    /** claim only this task (a push): nothing when it is not ready or needs more capabilities */
    taskId?: string;
  }): Promise<Result<TaskClaims>>;
  heartbeatLease(input: {
    workflowId: string;
    taskId: string;
    leaseId: string;
    leaseMs?: number;
    /** the agent acting (its token): another agent's current lease is `FORBIDDEN` */
    agentId?: string;
  }): Promise<Result<TaskChange>>;
  completeTask(input: {
    workflowId: string;
    taskId: string;
    leaseId: string;
    result?: unknown;
    /** the agent acting (its token): another agent's current lease is `FORBIDDEN` */
    agentId?: string;
  }): Promise<Result<TaskChange>>;
  failTask(input: {
    workflowId: string;
    taskId: string;
    leaseId: string;
    error: unknown;
    retryable?: boolean;
    /** the agent acting (its token): another agent's current lease is `FORBIDDEN` */
    agentId?: string;
  }): Promise<Result<TaskChange>>;
  cancelTask(input: {
    workflowId: string;
    taskId: string;
    author: string;
  }): Promise<Result<TaskChange>>;
  releaseAgentLeases(input: { workflowId: string; agentId: string }): Promise<Result<unknown>>;
  commit(input: {
    workflowId: string;
    patch: unknown;
    author: string;
    changeDescription: string;
  }): Promise<Result<unknown>>;
}

/**
 * Narrows the `STATE` binding to the task board without a cast, so tsc checks every method here
 * against the state manager's `StateService` as `wrangler types` types it (names and results;
 * inputs are wider here, since the coordinator passes bodies on for the task board to validate,
 * and method parameters compare both ways).
 * @param state the `STATE` service binding
 * @returns it, typed as the task board
 */
export function taskBoard(state: CoordinatorEnv["STATE"]): TaskBoard {
  return state;
}

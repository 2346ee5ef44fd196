import type { Result, StateVersion } from "@chorus/core";

/** A lease as the task board grants it. */
export interface BoardLease {
  id: string;
  attempt: number;
  expiresAt: number;
}

/** One task a claim took, with its lease. */
export interface BoardClaim {
  task: { id: string } & Record<string, unknown>;
  lease: BoardLease;
}

/**
 * The task methods of the state manager's `StateService` as the coordinator calls them: each
 * workflow's StateManager is its task board and commits every transition with its version
 * row, authored by the lease's holder (`agent:<id>`). `taskBoard` narrows the `STATE` binding
 * to these, so the coordinator depends on no more of the state manager than it uses.
 */
export interface TaskBoard {
  /** the create body (core's `NewTask`) spread beside the workflow and author */
  createTask(
    input: { workflowId: string; author: string } & Record<string, unknown>,
  ): Promise<
    Result<
      { task: { id: string; requiredCapabilities?: string[] }; replayed?: boolean } & Record<
        string,
        unknown
      >
    >
  >;
  claimTasks(input: {
    workflowId: string;
    agent: { id: string; capabilities: string[] };
    max: number;
    leaseMs?: number;
    /** claim only this task (a push); a task board that does not know it claims any */
    taskId?: string;
  }): Promise<Result<{ claims: BoardClaim[]; version?: StateVersion }>>;
  heartbeatLease(input: {
    workflowId: string;
    taskId: string;
    leaseId: string;
    leaseMs?: number;
  }): Promise<Result<Record<string, unknown>>>;
  completeTask(input: {
    workflowId: string;
    taskId: string;
    leaseId: string;
    result?: unknown;
  }): Promise<Result<Record<string, unknown>>>;
  failTask(input: {
    workflowId: string;
    taskId: string;
    leaseId: string;
    error: unknown;
    retryable?: boolean;
  }): Promise<Result<Record<string, unknown>>>;
  releaseAgentLeases(input: { workflowId: string; agentId: string }): Promise<Result<unknown>>;
}

/**
 * @param state the `STATE` service binding
 * @returns it, typed as the task board
 */
export function taskBoard(state: unknown): TaskBoard {
  return state as TaskBoard;
}

/**
 * The expiry of the lease a heartbeat extended, whether the task board answers the lease
 * itself or `{ lease }` / `{ task: { lease } }`.
 * @param value the heartbeat's answer
 * @returns its `expiresAt`, if it has one
 */
export function extendedExpiry(value: Record<string, unknown>): number | undefined {
  const candidates = [
    value,
    value.lease,
    (value.task as Record<string, unknown> | undefined)?.lease,
  ];
  for (const candidate of candidates) {
    if (typeof candidate === "object" && candidate !== null && "expiresAt" in candidate) {
      const { expiresAt } = candidate;
      if (typeof expiresAt === "number") return expiresAt;
    }
  }
  return undefined;
}

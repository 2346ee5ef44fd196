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
 * row. Written against the agreed signatures so this worker builds before those methods land;
 * `taskBoard` narrows the `STATE` binding to it.
 */
export interface TaskBoard {
  createTask(input: {
    workflowId: string;
    task: unknown;
    author: string;
  }): Promise<
    Result<{ task: { id: string; requiredCapabilities?: string[] } } & Record<string, unknown>>
  >;
  claimTasks(input: {
    workflowId: string;
    agent: { id: string; capabilities: string[] };
    max: number;
    leaseMs?: number;
    taskId?: string;
  }): Promise<Result<{ claims: BoardClaim[]; version?: StateVersion }>>;
  heartbeatLease(input: {
    workflowId: string;
    taskId: string;
    leaseId: string;
    leaseMs?: number;
    author: string;
  }): Promise<Result<Record<string, unknown>>>;
  completeTask(input: {
    workflowId: string;
    taskId: string;
    leaseId: string;
    result?: unknown;
    author: string;
  }): Promise<Result<Record<string, unknown>>>;
  failTask(input: {
    workflowId: string;
    taskId: string;
    leaseId: string;
    error: unknown;
    retryable?: boolean;
    author: string;
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

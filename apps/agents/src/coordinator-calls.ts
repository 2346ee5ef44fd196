import type { AgentRecord, NewAgent, Result, TaskChange, TaskClaims } from "@chorus/core";

/**
 * The `CoordinatorService` methods an agent calls, with plain {@link Result} types (the binding's
 * own types wrap them in RPC stubs that do not narrow on `ok`). `coordinatorOf` narrows the
 * `COORDINATOR` binding to these, so an agent depends on no more of the coordinator than it uses.
 */
export interface CoordinatorCalls {
  registerAgent(input: {
    agentId: string;
    spec: Omit<NewAgent, "maxConcurrency" | "ttlMs"> & Partial<NewAgent>;
    createdBy: string;
  }): Promise<Result<AgentRecord>>;
  touchAgent(input: { agentId: string }): Promise<Result<AgentRecord>>;
  drainAgent(input: {
    agentId: string;
  }): Promise<Result<{ agent: AgentRecord; deregistered: boolean }>>;
  claimTasks(input: {
    workflowId: string;
    agentId: string;
    max: number;
    leaseMs: number;
  }): Promise<Result<TaskClaims>>;
  heartbeatTask(input: Lease & { leaseMs: number }): Promise<Result<TaskChange>>;
  /** Without `agentId` it completes for whoever holds the lease (the Review Manager does so). */
  completeTask(
    input: Omit<Lease, "agentId"> & { agentId?: string; result?: unknown },
  ): Promise<Result<TaskChange>>;
  failTask(input: Lease & { error: unknown; retryable: boolean }): Promise<Result<TaskChange>>;
  createTask(input: {
    workflowId: string;
    author: string;
    task: Record<string, unknown>;
  }): Promise<Result<TaskChange>>;
  cancelTask(input: {
    workflowId: string;
    taskId: string;
    author: string;
  }): Promise<Result<TaskChange>>;
}

/** A task lease and its holder. */
interface Lease {
  workflowId: string;
  taskId: string;
  leaseId: string;
  agentId: string;
}

/**
 * @param coordinator the `COORDINATOR` service binding
 * @returns it, typed as the calls agents make
 */
export function coordinatorOf(coordinator: AgentsEnv["COORDINATOR"]): CoordinatorCalls {
  return coordinator as unknown as CoordinatorCalls;
}

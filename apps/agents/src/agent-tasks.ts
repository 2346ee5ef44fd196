import type { JsonValue, Task } from "@chorus/core";
import type { LogLevel } from "./agent-log.ts";
import { messageOf } from "./agent-log.ts";
import type { AgentRow } from "./agent-store.ts";
import type { CoordinatorCalls } from "./coordinator-calls.ts";

/** The most tasks one alarm run takes, one after another, before it yields to the next run. */
const TASKS_PER_RUN = 10;

/** What the task loop needs of the agent. */
export interface TaskRunner {
  coordinator: CoordinatorCalls;
  agent: AgentRow;
  leaseMs: number;
  /** false once a stop began: no further claim */
  stillRunning(): boolean;
  handle(task: Task): Promise<JsonValue | undefined>;
  count(name: string): void;
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
}

/**
 * Claims the agent's tasks through the coordinator one at a time and handles each under its
 * lease: a value completes it, a throw fails the attempt as retryable, so the task board's retry
 * path (backoff, then another attempt or the dead letter) takes it from there, and the workflow
 * never waits on this agent. The lease is heartbeated while the task is in hand; an instance
 * that dies mid-task lets it run out, and the board gives the task out again.
 * @param runner the agent
 * @returns how many tasks it took
 */
export async function workOnTasks(runner: TaskRunner): Promise<number> {
  const { agent, coordinator } = runner;
  if (agent.capabilities.length === 0) return 0;
  let taken = 0;
  while (taken < TASKS_PER_RUN && runner.stillRunning()) {
    const claimed = await coordinator.claimTasks({
      workflowId: agent.workflowId,
      agentId: agent.agentId,
      max: 1,
      leaseMs: runner.leaseMs,
    });
    if (!claimed.ok) {
      runner.log("warn", "claim refused", { error: claimed.error });
      return taken;
    }
    const claim = claimed.value.claims[0];
    if (claim === undefined) return taken;
    taken++;
    await runOne(runner, claim.task, claim.lease.id);
  }
  return taken;
}

async function runOne(runner: TaskRunner, task: Task, leaseId: string): Promise<void> {
  const { agent, coordinator } = runner;
  const lease = { workflowId: agent.workflowId, taskId: task.id, leaseId, agentId: agent.agentId };
  runner.log("info", "task claimed", { taskId: task.id, attempt: task.attempt });
  const beat = setInterval(() => {
    void coordinator.heartbeatTask({ ...lease, leaseMs: runner.leaseMs });
  }, runner.leaseMs / 3);
  let outcome: { result: JsonValue | undefined } | { error: string };
  try {
    outcome = { result: await runner.handle(task) };
  } catch (error) {
    outcome = { error: messageOf(error) };
  } finally {
    clearInterval(beat);
  }
  if ("error" in outcome) {
    const failed = await coordinator.failTask({
      ...lease,
      error: { message: outcome.error },
      retryable: true,
    });
    runner.count("tasksFailed");
    runner.log("warn", "task failed; its retry path takes it", {
      taskId: task.id,
      error: outcome.error,
      ...(failed.ok ? {} : { refused: failed.error }),
    });
    return;
  }
  const completed = await coordinator.completeTask({
    ...lease,
    ...(outcome.result === undefined ? {} : { result: outcome.result }),
  });
  if (completed.ok) runner.count("tasksCompleted");
  else runner.log("warn", "completion refused", { taskId: task.id, error: completed.error });
}

import type { Priority } from "./schemas/priority.ts";
import type { Task } from "./schemas/task.ts";
import { withDefaults } from "./task-defaults.ts";

const RANK: Readonly<Record<Priority, number>> = { critical: 0, high: 1, normal: 2, low: 3 };

/**
 * The order claims take ready tasks in: highest priority first, then the oldest (`createdAt`),
 * then by id, so the order is total and every claimer sees the same one.
 * @returns negative when `a` is taken before `b`
 */
export function claimOrder(a: Task, b: Task): number {
  const left = withDefaults(a);
  const right = withDefaults(b);
  return (
    RANK[left.priority] - RANK[right.priority] ||
    left.createdAt - right.createdAt ||
    (left.id < right.id ? -1 : left.id > right.id ? 1 : 0)
  );
}

/**
 * Chooses the tasks an agent may claim: only `ready` ones whose every required capability the
 * agent has, in {@link claimOrder}, at most `max`.
 * @param tasks the workflow's tasks
 * @param capabilities what the agent can do
 * @param max how many to take
 * @returns the tasks to claim, first first
 * @example
 * selectClaimable(state.tasks, ["review"], 2);
 */
export function selectClaimable(
  tasks: Readonly<Record<string, Task>>,
  capabilities: readonly string[],
  max: number,
): Task[] {
  const offered = new Set(capabilities);
  const eligible = Object.values(tasks).filter(
    (task) =>
      task.status === "ready" &&
      (task.requiredCapabilities ?? []).every((capability) => offered.has(capability)),
  );
  return eligible.sort(claimOrder).slice(0, Math.max(0, max));
}

/**
 * Counts the live leases an agent holds on one board: claimed tasks assigned to it whose lease
 * has not run out. A board can cap an agent's claims with it when every lease of the agent is
 * on that board (an agent that works on one workflow only).
 * @param tasks the workflow's tasks
 * @param agentId the agent, as the claims named it
 * @param now the time leases are judged at
 * @returns how many of the agent's leases are live
 */
export function leasesHeld(
  tasks: Readonly<Record<string, Task>>,
  agentId: string,
  now: number,
): number {
  let held = 0;
  for (const task of Object.values(tasks)) {
    if (task.status !== "claimed" || task.assignee !== agentId) continue;
    if ((task.lease?.expiresAt ?? 0) > now) held++;
  }
  return held;
}

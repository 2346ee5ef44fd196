import type { Priority } from "./schemas/priority.ts";
import type { Task } from "./schemas/task.ts";
import { DEFAULT_PRIORITY } from "./task-defaults.ts";

const RANK: Readonly<Record<Priority, number>> = { critical: 0, high: 1, normal: 2, low: 3 };

/**
 * The order claims take ready tasks in: highest priority first, then the oldest (`createdAt`),
 * then by id, so the order is total and every claimer sees the same one. Reads the defaults of
 * `withDefaults` in place: a claim compares every ready task of the board, and copying each
 * task per comparison cost more than the claim's commit on a board of a few hundred.
 * @returns negative when `a` is taken before `b`
 */
export function claimOrder(a: Task, b: Task): number {
  return (
    RANK[a.priority ?? DEFAULT_PRIORITY] - RANK[b.priority ?? DEFAULT_PRIORITY] ||
    (a.createdAt ?? 0) - (b.createdAt ?? 0) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * Chooses the tasks an agent may claim: only `ready` ones whose every required capability the
 * agent has, in {@link claimOrder}, at most `max`. One pass keeping the best `max` in order, so
 * a claim of a few tasks costs one comparison or so per ready task, not a sort of them all.
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
  const best: Task[] = [];
  if (max <= 0) return best;
  const offered = new Set(capabilities);
  for (const task of Object.values(tasks)) {
    if (task.status !== "ready") continue;
    const last = best[best.length - 1];
    if (best.length === max && last !== undefined && claimOrder(task, last) >= 0) continue;
    if (!(task.requiredCapabilities ?? []).every((capability) => offered.has(capability))) {
      continue;
    }
    let at = best.length;
    while (at > 0 && claimOrder(task, best[at - 1] as Task) < 0) at--;
    best.splice(at, 0, task);
    if (best.length > max) best.pop();
  }
  return best;
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

/**
 * Whether every lease of an agent limited to `workflowIds` is on `workflowId`'s board, so that
 * board can count the agent's capacity itself: the agent works on that one workflow only.
 * @param workflowIds the workflows the agent is limited to (`null` or absent: any)
 * @param workflowId the board's workflow
 */
export function boardHoldsEveryLease(
  workflowIds: readonly string[] | null | undefined,
  workflowId: string,
): boolean {
  return workflowIds?.length === 1 && workflowIds[0] === workflowId;
}

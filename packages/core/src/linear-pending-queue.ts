import { retryDelay } from "./backoff.ts";
import type { SyncedTaskFields } from "./linear-fields.ts";

/**
 * One Chorus change waiting to reach Linear. Changes wait durably, in arrival order (`seq`), and
 * leave the queue only once Linear has taken them (or a later change from Linear superseded
 * them), so none is lost, and changes to one task go out in order.
 */
export interface PendingLinearChange {
  /** arrival order, increasing across the whole queue */
  seq: number;
  taskId: string;
  /** `create` makes the issue; every later change of the task waits behind it */
  kind: "create" | "update";
  /** the task members to mirror; a create carries all of them */
  fields: SyncedTaskFields;
  /** failed sends so far */
  attempts: number;
  /** not to be sent before this moment (ms since the epoch): the retry time after a failure */
  notBefore: number;
  lastError?: string;
}

/** How a send to Linear failed: rate-limited until a moment, or any other failure. */
export type LinearSendFailure =
  | { kind: "rate-limited"; until: number | undefined; message: string }
  | { kind: "failed"; message: string };

function heads(queue: readonly PendingLinearChange[]): PendingLinearChange[] {
  const seen = new Set<string>();
  const first: PendingLinearChange[] = [];
  for (const change of [...queue].sort((a, b) => a.seq - b.seq)) {
    if (seen.has(change.taskId)) continue;
    seen.add(change.taskId);
    first.push(change);
  }
  return first;
}

/**
 * The changes to send now: of each task only its oldest change (the next must wait until Linear
 * took it), and only when it is due, in arrival order.
 * @param queue the pending changes
 * @param now the current time, ms since the epoch
 * @returns the changes to send, oldest first
 * @example
 * for (const change of dueLinearChanges(queue, now)) await send(change);
 */
export function dueLinearChanges(
  queue: readonly PendingLinearChange[],
  now: number,
): PendingLinearChange[] {
  return heads(queue).filter((change) => change.notBefore <= now);
}

/**
 * When the queue next has a change to send: the earliest retry time among each task's oldest
 * change. What the agent sets its alarm to.
 * @param queue the pending changes
 * @returns ms since the epoch, or `undefined` for an empty queue
 */
export function nextLinearDueAt(queue: readonly PendingLinearChange[]): number | undefined {
  let next: number | undefined;
  for (const change of heads(queue)) {
    if (next === undefined || change.notBefore < next) next = change.notBefore;
  }
  return next;
}

/**
 * The queue after a send failed. A rate limit is Linear's answer for the whole API key, so every
 * change waits until the time Linear asked for (or, when it named none, the failed change's
 * backoff); any other failure delays only the failed change (and so its task), with doubling
 * backoff from 1 s up to 5 min.
 * @param queue the pending changes
 * @param seq the change whose send failed
 * @param failure how it failed
 * @param now the current time, ms since the epoch
 * @returns the updated queue (the same changes, in the same order)
 */
export function afterLinearFailure(
  queue: readonly PendingLinearChange[],
  seq: number,
  failure: LinearSendFailure,
  now: number,
): PendingLinearChange[] {
  const failed = queue.find((change) => change.seq === seq);
  if (failed === undefined) return [...queue];
  const attempts = failed.attempts + 1;
  const backoff = now + retryDelay(attempts);
  if (failure.kind === "rate-limited") {
    const until = Math.max(failure.until ?? backoff, now);
    return queue.map((change) => ({
      ...change,
      notBefore: Math.max(change.notBefore, until),
      ...(change.seq === seq ? { attempts, lastError: failure.message } : {}),
    }));
  }
  return queue.map((change) =>
    change.seq === seq
      ? { ...change, attempts, notBefore: backoff, lastError: failure.message }
      : change,
  );
}

/**
 * The queue after a change from Linear to some members of a task was applied: Chorus changes of
 * those members still waiting are older, so the newer Linear value wins and they are dropped
 * (the change keeps its other members; an update left with none leaves the queue). A pending
 * create keeps every member: the issue must still be made.
 * @param queue the pending changes
 * @param taskId the task Linear changed
 * @param members the members Linear changed
 * @returns the changes to keep and the `seq` of those dropped
 */
export function supersedeLinearChanges(
  queue: readonly PendingLinearChange[],
  taskId: string,
  members: readonly (keyof SyncedTaskFields)[],
): { keep: PendingLinearChange[]; dropped: number[] } {
  const keep: PendingLinearChange[] = [];
  const dropped: number[] = [];
  for (const change of queue) {
    if (change.taskId !== taskId || change.kind === "create") {
      keep.push(change);
      continue;
    }
    const fields = { ...change.fields };
    for (const member of members) delete fields[member];
    if (Object.keys(fields).length === 0) dropped.push(change.seq);
    else keep.push({ ...change, fields });
  }
  return { keep, dropped };
}

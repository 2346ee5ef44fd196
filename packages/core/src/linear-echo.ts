import type { SyncedIssueFields, SyncedTaskFields } from "./linear-fields.ts";

/**
 * What the Linear sync knows of one task and its issue: the task members as last seen (or
 * written) in Chorus and the issue members as last seen (or written) in Linear. Echo suppression
 * rests on it: a value equal to the one recorded is not a change, whichever side it comes from.
 */
export interface LinearSyncRecord {
  taskId: string;
  /** the issue's id; chosen before it is created, so a retried create can find it */
  issueId: string;
  /** whether Linear has confirmed the issue exists */
  created: boolean;
  chorus: SyncedTaskFields;
  linear: SyncedIssueFields;
}

/**
 * The members of `incoming` whose value differs from the one recorded in `known`: a real change.
 * A member equal to the recorded one is an echo (the sync wrote it, or has seen it) and is left
 * out; a member absent from `incoming` says nothing and is left out too.
 * @param known the recorded members
 * @param incoming the members as they are now
 * @returns the changed members only
 * @example
 * changedSyncFields({ title: "a", status: "ready" }, { title: "a", status: "completed" });
 * // { status: "completed" }
 */
export function changedSyncFields<T extends SyncedTaskFields | SyncedIssueFields>(
  known: T,
  incoming: T,
): Partial<T> {
  const changed: Partial<T> = {};
  for (const key of Object.keys(incoming) as (keyof T)[]) {
    const value = incoming[key];
    if (value !== undefined && value !== known[key]) changed[key] = value;
  }
  return changed;
}

/**
 * Whether a change carries any member.
 * @param fields the changed members
 * @returns `true` when there is nothing to apply or send
 */
export function isEmptySyncChange(fields: SyncedTaskFields | SyncedIssueFields): boolean {
  return Object.values(fields).every((value) => value === undefined);
}

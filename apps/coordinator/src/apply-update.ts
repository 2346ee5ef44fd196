import { assertTransition, type WorkflowRecord, type WorkflowUpdate } from "@chorus/core";

/** Each member an update changed, as `[before, after]`. */
export type Changes = { [K in keyof WorkflowUpdate]?: [before: unknown, after: unknown] };

/**
 * @param tags labels as sent
 * @returns them without repeats, in first-seen order (a tag is a set member; its row is unique)
 */
export function uniqueTags(tags: readonly string[]): string[] {
  return [...new Set(tags)];
}

/**
 * Applies an update to a record. Members equal to the stored ones are not changes; when nothing
 * changes the record comes back as it was, `updatedAt` included, and nothing needs writing.
 * @param current the stored record
 * @param update the requested changes
 * @param now the current time in milliseconds
 * @returns the new record and what changed
 * @throws ChorusError `VALIDATION_FAILED` at `/status` for a move the lifecycle forbids
 */
export function applyUpdate(
  current: WorkflowRecord,
  update: WorkflowUpdate,
  now: number,
): { record: WorkflowRecord; changes: Changes } {
  if (update.status !== undefined) assertTransition(current.status, update.status);
  const next: WorkflowRecord = { ...current };
  const changes: Changes = {};
  if (update.status !== undefined && update.status !== current.status) {
    changes.status = [current.status, update.status];
    next.status = update.status;
  }
  if (update.name !== undefined && update.name !== current.name) {
    changes.name = [current.name, update.name];
    next.name = update.name;
  }
  if (update.description !== undefined && update.description !== current.description) {
    changes.description = [current.description ?? null, update.description];
    next.description = update.description;
  }
  if (update.priority !== undefined && update.priority !== current.priority) {
    changes.priority = [current.priority, update.priority];
    next.priority = update.priority;
  }
  if (update.tags !== undefined) {
    const tags = uniqueTags(update.tags);
    if (tags.length !== current.tags.length || tags.some((tag, i) => tag !== current.tags[i])) {
      changes.tags = [current.tags, tags];
      next.tags = tags;
    }
  }
  if (Object.keys(changes).length === 0) return { record: current, changes };
  // Never backwards, even if this isolate's clock is behind the one that wrote the record.
  next.updatedAt = Math.max(now, current.updatedAt);
  return { record: next, changes };
}

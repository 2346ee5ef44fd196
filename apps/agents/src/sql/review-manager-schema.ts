/**
 * The Review Manager's own table (append-only steps, counted as `agentTypeSchemaVersion`). It
 * outlives a stop: spawned again, the manager knows which reviews it already made tasks of.
 */
export const REVIEW_MANAGER_MIGRATIONS: readonly string[] = [
  `   -- One row per review it made a task of: open until it completed or cancelled the task.
   CREATE TABLE IF NOT EXISTS review_tasks (
     review_id TEXT PRIMARY KEY,
     task_id TEXT NOT NULL,
     status TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     settled_at INTEGER
   ) WITHOUT ROWID;`,
];

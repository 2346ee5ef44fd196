/**
 * The SQLite schema every agent keeps (append-only steps, as in the coordinator's schemas). A
 * subclass's own tables count their steps apart, under `agentTypeSchemaVersion`.
 */
export const AGENT_MIGRATIONS: readonly string[] = [
  `   -- The agent this object is: at most one row. registered says whether the coordinator knows
   -- it yet; applied_version is the last workflow version taken into the inbox.
   CREATE TABLE IF NOT EXISTS agent (
     singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
     agent_id TEXT NOT NULL,
     workflow_id TEXT NOT NULL,
     type TEXT NOT NULL,
     config TEXT NOT NULL,
     capabilities TEXT NOT NULL,
     status TEXT NOT NULL,
     registered INTEGER NOT NULL,
     applied_version INTEGER NOT NULL,
     created_at INTEGER NOT NULL,
     created_by TEXT NOT NULL,
     stopped_at INTEGER,
     failures INTEGER NOT NULL DEFAULT 0
   );
   -- Delivered versions not yet handed to onChange, oldest first; a row goes once handled.
   CREATE TABLE IF NOT EXISTS inbox (version INTEGER PRIMARY KEY, event TEXT NOT NULL);
   -- What the agent counted: changes, tasks completed and failed, commits, errors.
   CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);`,
];

/** The SQLite schema of a workflow's agent directory (append-only steps). */
export const DIRECTORY_MIGRATIONS: readonly string[] = [
  `   -- The agents a workflow spawned: one live row per type. A stopped agent's row stays (status
   -- stopped) until the type is spawned again, which replaces it.
   CREATE TABLE IF NOT EXISTS spawned (
     type TEXT PRIMARY KEY,
     agent_id TEXT NOT NULL UNIQUE,
     config TEXT NOT NULL,
     status TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     created_by TEXT NOT NULL
   );`,
];

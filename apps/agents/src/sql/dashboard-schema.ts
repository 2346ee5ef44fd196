/** The SQLite schema of the IntegrationDashboard (append-only steps). */
export const DASHBOARD_MIGRATIONS: readonly string[] = [
  `  -- Workflows whose changes arrived and whose sample is not yet read again: the newest
   -- version delivered. Deleted when a read at or past that version is stored.
   CREATE TABLE IF NOT EXISTS stale (
     workflow_id TEXT PRIMARY KEY,
     up_to INTEGER NOT NULL
   );
   -- One workflow's sample (core's WorkflowSample as JSON: tasks, conflicts, recent versions).
   CREATE TABLE IF NOT EXISTS samples (
     workflow_id TEXT PRIMARY KEY,
     sample TEXT NOT NULL,
     read_at INTEGER NOT NULL
   );
   -- What the coordinator last said: 'workflows' (every record) and 'agents', as JSON.
   CREATE TABLE IF NOT EXISTS registry (
     name TEXT PRIMARY KEY,
     value TEXT NOT NULL,
     read_at INTEGER NOT NULL
   );`,
  // The stale marks moved to memory (see DashboardStore): one write per delivery was too dear.
  "DROP TABLE IF EXISTS stale;",
];

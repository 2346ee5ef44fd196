/**
 * The Linear State Agent's own SQLite tables (append-only steps, counted apart from the base
 * agent's). They outlive a new life of the agent: the task ↔ issue mapping must, or a restarted
 * agent would create a second issue.
 */
export const LINEAR_MIGRATIONS: readonly string[] = [
  `   -- One row per synced task: its issue (the id chosen before the create, so a retried create
   -- finds it), whether Linear confirmed it, and the synced members as last seen on each side
   -- (JSON), which is what tells an echo from a change.
   CREATE TABLE IF NOT EXISTS linear_issues (
     task_id TEXT PRIMARY KEY,
     issue_id TEXT NOT NULL UNIQUE,
     created INTEGER NOT NULL,
     chorus TEXT NOT NULL,
     linear TEXT NOT NULL
   );
   -- Chorus changes waiting to reach Linear, in arrival order; a row goes once Linear took it.
   CREATE TABLE IF NOT EXISTS linear_pending (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     task_id TEXT NOT NULL,
     kind TEXT NOT NULL,
     fields TEXT NOT NULL,
     attempts INTEGER NOT NULL,
     not_before INTEGER NOT NULL,
     last_error TEXT
   );
   -- Webhook deliveries taken, by replay key (their signature), for the replay window.
   CREATE TABLE IF NOT EXISTS linear_webhooks (
     replay_key TEXT PRIMARY KEY,
     webhook_timestamp INTEGER NOT NULL
   );
   -- The team's workflow states (cached) and the last error, as JSON.
   CREATE TABLE IF NOT EXISTS linear_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
];

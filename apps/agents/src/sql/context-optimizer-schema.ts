/**
 * The Context Optimizer's own tables (append-only steps, counted as `agentTypeSchemaVersion`).
 * They outlive a stop: a view of a version never changes, so a kept one stays right.
 */
export const CONTEXT_OPTIMIZER_MIGRATIONS: readonly string[] = [
  `   -- One row per view kept: key is the rules' revision, version, budget and focus as JSON
   -- (focus absent and focus "" are different views). seq orders them oldest first.
   CREATE TABLE IF NOT EXISTS context_views (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     key TEXT NOT NULL UNIQUE,
     version INTEGER NOT NULL,
     bytes INTEGER NOT NULL
   );
   -- A view's JSON text as UTF-8, cut into parts, since a row holds 2 MB at most.
   CREATE TABLE IF NOT EXISTS context_view_parts (
     seq INTEGER NOT NULL,
     part INTEGER NOT NULL,
     data BLOB NOT NULL,
     PRIMARY KEY (seq, part)
   ) WITHOUT ROWID;`,
];

import { applyMigrations } from "@chorus/do-sql";

/**
 * A registry shard's SQLite schema. Statements are idempotent (`IF NOT EXISTS`) and run in order
 * when the object starts ({@link applyMigrations}); a later change appends a step rather than
 * editing one.
 */
export const MIGRATIONS: readonly string[] = [
  `   -- One row per workflow. tags repeats workflow_tags as a JSON array so a read needs no join.
   CREATE TABLE IF NOT EXISTS workflows (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     description TEXT,
     status TEXT NOT NULL,
     priority TEXT NOT NULL,
     tags TEXT NOT NULL,
     user_id TEXT,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     created_by TEXT NOT NULL
   );
   -- Both end in the listing's sort key, so a page is an index range scan with no sort step.
   CREATE INDEX IF NOT EXISTS workflows_by_created ON workflows (created_at, id);
   CREATE INDEX IF NOT EXISTS workflows_by_status ON workflows (status, created_at, id);
   -- One row per (tag, workflow): an exact, indexed tag filter, unlike LIKE over JSON text.
   -- created_at (which never changes) is in the key so a tag's page is a range scan too.
   CREATE TABLE IF NOT EXISTS workflow_tags (
     tag TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     workflow_id TEXT NOT NULL,
     PRIMARY KEY (tag, created_at, workflow_id)
   ) WITHOUT ROWID;
   -- Who changed what: one row per accepted update that changed something.
   CREATE TABLE IF NOT EXISTS workflow_changes (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     workflow_id TEXT NOT NULL,
     at INTEGER NOT NULL,
     actor TEXT NOT NULL,
     changes TEXT NOT NULL
   );`,
  `   -- Each record as first registered (toColumns as JSON): a registration sent again, as a
   -- retried create sends it, is recognised after updates have changed the record.
   CREATE TABLE IF NOT EXISTS workflow_registrations (
     workflow_id TEXT PRIMARY KEY,
     record TEXT NOT NULL
   ) WITHOUT ROWID;`,
];

/**
 * Brings the database up to the newest schema.
 * @param sql the Durable Object's SQL storage
 */
export function migrate(sql: SqlStorage): void {
  applyMigrations(sql, MIGRATIONS);
}

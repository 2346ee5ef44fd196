import { applyMigrations } from "@chorus/do-sql";

/**
 * The StateManager's SQLite schema. Statements are idempotent (`IF NOT EXISTS`) and run in
 * in order when the object starts ({@link applyMigrations}); a later change appends a new step
 * rather than editing an old one.
 */
export const MIGRATIONS: readonly string[] = [
  `   -- One row per version. The state itself lives in blobs: a patch against the first parent
   -- always (the change feed and diffs read it), a full keyframe every K versions.
   CREATE TABLE IF NOT EXISTS versions (
     version INTEGER PRIMARY KEY,
     branch TEXT NOT NULL,
     parents TEXT NOT NULL,
     timestamp INTEGER NOT NULL,
     author TEXT NOT NULL,
     description TEXT NOT NULL,
     checksum TEXT NOT NULL,
     state_bytes INTEGER NOT NULL,
     stored_bytes INTEGER NOT NULL,
     keyframe INTEGER NOT NULL,
     chain INTEGER NOT NULL,
     origin TEXT NOT NULL,
     archived INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX IF NOT EXISTS versions_by_branch ON versions (branch, version);
   -- Large values are split into chunks: a Durable Object SQLite value is limited to ~2 MB.
   CREATE TABLE IF NOT EXISTS blobs (
     owner TEXT NOT NULL,
     seq INTEGER NOT NULL,
     data TEXT NOT NULL,
     PRIMARY KEY (owner, seq)
   );
   CREATE TABLE IF NOT EXISTS branches (
     name TEXT PRIMARY KEY,
     head INTEGER NOT NULL,
     created_from INTEGER,
     created_at INTEGER NOT NULL,
     author TEXT NOT NULL
   );
   CREATE TABLE IF NOT EXISTS snapshots (
     id TEXT PRIMARY KEY,
     version INTEGER NOT NULL,
     description TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     author TEXT NOT NULL,
     checksum TEXT NOT NULL
   );
   CREATE TABLE IF NOT EXISTS conflicts (
     id TEXT PRIMARY KEY,
     branch TEXT NOT NULL,
     base INTEGER NOT NULL,
     head INTEGER NOT NULL,
     source TEXT NOT NULL,
     theirs_version INTEGER,
     status TEXT NOT NULL,
     author TEXT NOT NULL,
     description TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     paths TEXT NOT NULL,
     resolved_version INTEGER
   );
   CREATE TABLE IF NOT EXISTS idempotency (
     key TEXT PRIMARY KEY,
     result TEXT NOT NULL,
     created_at INTEGER NOT NULL
   );
   -- The local index of the archive in R2: which object holds which versions.
   CREATE TABLE IF NOT EXISTS archive_chunks (
     key TEXT PRIMARY KEY,
     first_version INTEGER NOT NULL,
     last_version INTEGER NOT NULL,
     versions TEXT NOT NULL,
     sha256 TEXT NOT NULL,
     bytes INTEGER NOT NULL,
     compressed INTEGER NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE TABLE IF NOT EXISTS audit (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     at INTEGER NOT NULL,
     actor TEXT NOT NULL,
     action TEXT NOT NULL,
     version INTEGER,
     detail TEXT NOT NULL
   );`,
  `   -- The audit trail without AUTOINCREMENT, which cost every entry (one per commit) a write
   -- to sqlite_sequence: entries are never deleted, so the rowid alone only ever grows.
   CREATE TABLE audit_next (
     seq INTEGER PRIMARY KEY,
     at INTEGER NOT NULL,
     actor TEXT NOT NULL,
     action TEXT NOT NULL,
     version INTEGER,
     detail TEXT NOT NULL
   );
   INSERT INTO audit_next (seq, at, actor, action, version, detail)
     SELECT seq, at, actor, action, version, detail FROM audit;
   DROP TABLE audit;
   ALTER TABLE audit_next RENAME TO audit;`,
  `   -- What the object does by itself, and when: task lease ends and backoff ends, and the
   -- maintenance run. The one alarm is armed at the earliest row.
   CREATE TABLE IF NOT EXISTS timers (
     kind TEXT NOT NULL,
     key TEXT NOT NULL,
     due_at INTEGER NOT NULL,
     PRIMARY KEY (kind, key)
   );
   CREATE INDEX IF NOT EXISTS timers_by_due ON timers (due_at);`,
  `   -- Change delivery to workers: one row per committed version, written in the version's
   -- transaction while consumers are configured, deleted once every consumer acknowledged it.
   CREATE TABLE IF NOT EXISTS outbox (
     version INTEGER PRIMARY KEY
   );
   -- Per consumer (a service binding's name): the last version it acknowledged, and how many
   -- deliveries in a row failed since (the exponent of its backoff).
   CREATE TABLE IF NOT EXISTS change_cursors (
     consumer TEXT PRIMARY KEY,
     acked INTEGER NOT NULL,
     failures INTEGER NOT NULL
   );`,
  `   -- Reviews: branches that change protected paths of a protected branch, waiting for
   -- approvals. Notes (approvals, rejection, comments) are a JSON array: a review has few.
   CREATE TABLE IF NOT EXISTS reviews (
     id TEXT PRIMARY KEY,
     branch TEXT NOT NULL,
     into_branch TEXT NOT NULL,
     status TEXT NOT NULL,
     author TEXT NOT NULL,
     title TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     required INTEGER NOT NULL,
     gated_paths TEXT NOT NULL,
     notes TEXT NOT NULL,
     merge_version INTEGER,
     conflict_id TEXT
   );
   CREATE INDEX IF NOT EXISTS reviews_by_conflict ON reviews (conflict_id);
   -- Review events waiting for a notifier (Slack, GitHub), written with the event; the review
   -- as it stood then, and the head whose state goes with it.
   CREATE TABLE IF NOT EXISTS review_notifications (
     seq INTEGER PRIMARY KEY,
     notifier TEXT NOT NULL,
     event TEXT NOT NULL,
     review TEXT NOT NULL,
     head INTEGER NOT NULL,
     attempts INTEGER NOT NULL,
     due_at INTEGER NOT NULL
   );`,
];

/**
 * Brings the database up to the newest schema.
 * @param sql the Durable Object's SQL storage
 */
export function migrate(sql: SqlStorage): void {
  applyMigrations(sql, MIGRATIONS);
}

/**
 * The Pattern Bridge's own tables (append-only steps, counted as `agentTypeSchemaVersion`).
 * They outlive a stop: spawning the bridge again finds its rules.
 */
export const PATTERN_BRIDGE_MIGRATIONS: readonly string[] = [
  `   -- The workflow's rules: body is the rule as created (a webhook's secret included).
   CREATE TABLE IF NOT EXISTS rules (
     id TEXT PRIMARY KEY,
     body TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     created_by TEXT NOT NULL
   );
   -- What each rule did for each version: the key that makes an effect happen once.
   CREATE TABLE IF NOT EXISTS firings (
     rule_id TEXT NOT NULL,
     version INTEGER NOT NULL,
     outcome TEXT NOT NULL,
     depth INTEGER NOT NULL,
     reason TEXT,
     effect TEXT,
     at INTEGER NOT NULL,
     PRIMARY KEY (rule_id, version)
   ) WITHOUT ROWID;
   -- Webhooks to send and sent: one per rule and version; history holds every attempt.
   CREATE TABLE IF NOT EXISTS deliveries (
     id TEXT PRIMARY KEY,
     rule_id TEXT NOT NULL,
     version INTEGER NOT NULL,
     url TEXT NOT NULL,
     secret TEXT NOT NULL,
     body TEXT NOT NULL,
     status TEXT NOT NULL,
     attempts INTEGER NOT NULL,
     history TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     next_at INTEGER,
     delivered_at INTEGER
   );
   CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (status, next_at);
   CREATE INDEX IF NOT EXISTS deliveries_by_rule ON deliveries (rule_id, version);`,
];

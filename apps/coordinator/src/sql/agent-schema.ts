import { applyMigrations } from "@chorus/do-sql";

/**
 * An agent registry shard's SQLite schema (append-only steps, as in `schema.ts`). A shard holds
 * the agents whose ids hash to it, with everything that counts against their capacity, so a
 * capacity check and its reservation are one synchronous step of one object.
 */
export const AGENT_MIGRATIONS: readonly string[] = [
  `   -- One row per registered agent. status is the stored part of its status: active (idle or
   -- busy, told apart by its live leases), draining or offline. reported is the status last
   -- written to its workflows' states, so a change is written once.
   CREATE TABLE IF NOT EXISTS agents (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     type TEXT NOT NULL,
     capabilities TEXT NOT NULL,
     max_concurrency INTEGER NOT NULL,
     ttl_ms INTEGER NOT NULL,
     workflow_ids TEXT,
     metadata TEXT,
     status TEXT NOT NULL,
     reported TEXT NOT NULL,
     last_seen_at INTEGER NOT NULL,
     created_at INTEGER NOT NULL,
     created_by TEXT NOT NULL,
     token_id TEXT
   );
   -- The alarm's question: who has been silent longest.
   CREATE INDEX IF NOT EXISTS agents_by_deadline ON agents (status, last_seen_at);
   -- The workflows an agent works on: those it is limited to, and those it has held leases in.
   CREATE TABLE IF NOT EXISTS agent_workflows (
     agent_id TEXT NOT NULL,
     workflow_id TEXT NOT NULL,
     PRIMARY KEY (agent_id, workflow_id)
   ) WITHOUT ROWID;
   CREATE INDEX IF NOT EXISTS agent_workflows_by_workflow ON agent_workflows (workflow_id);
   -- Slots held for a claim in flight. A reservation never settled frees itself at expires_at.
   CREATE TABLE IF NOT EXISTS reservations (
     id TEXT PRIMARY KEY,
     agent_id TEXT NOT NULL,
     slots INTEGER NOT NULL,
     expires_at INTEGER NOT NULL
   );
   -- Leases the agent holds, as the task board granted them. A row past expires_at no longer
   -- counts: the task board expires the lease itself.
   CREATE TABLE IF NOT EXISTS leases (
     lease_id TEXT PRIMARY KEY,
     agent_id TEXT NOT NULL,
     workflow_id TEXT NOT NULL,
     task_id TEXT NOT NULL,
     expires_at INTEGER NOT NULL
   );
   CREATE INDEX IF NOT EXISTS leases_by_agent ON leases (agent_id, expires_at);
   -- Outbox: workflows whose task boards must drop an offline agent's leases; retried by the
   -- alarm until the task board says done.
   CREATE TABLE IF NOT EXISTS pending_releases (
     agent_id TEXT NOT NULL,
     workflow_id TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (agent_id, workflow_id)
   ) WITHOUT ROWID;
   -- Outbox: agent status changes still to write to a workflow's state under /agents/{id}.
   -- view is the JSON to write there; null removes the entry (a deregistered agent). due_at
   -- holds back idle/busy flips a few seconds, so a working agent's flips cost one write.
   CREATE TABLE IF NOT EXISTS pending_statuses (
     agent_id TEXT NOT NULL,
     workflow_id TEXT NOT NULL,
     view TEXT,
     due_at INTEGER NOT NULL DEFAULT 0,
     attempts INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (agent_id, workflow_id)
   ) WITHOUT ROWID;`,
  `   -- The status last written to a workflow's state under /agents/{id}: an idle/busy flip that
   -- is back where it started by the time it is due is not written at all.
   CREATE TABLE IF NOT EXISTS shown_statuses (
     agent_id TEXT NOT NULL,
     workflow_id TEXT NOT NULL,
     status TEXT NOT NULL,
     PRIMARY KEY (agent_id, workflow_id)
   ) WITHOUT ROWID;`,
];

/**
 * Brings an agent shard's database up to the newest schema.
 * @param sql the Durable Object's SQL storage
 */
export function migrateAgents(sql: SqlStorage): void {
  applyMigrations(sql, AGENT_MIGRATIONS);
}

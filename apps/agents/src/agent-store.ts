import type { JsonObject, SpawnedAgent, SpawnedAgentStatus, StateEvent } from "@chorus/core";

/** The agent row as the code reads it. */
export interface AgentRow {
  agentId: string;
  workflowId: string;
  type: string;
  config: JsonObject;
  capabilities: string[];
  status: SpawnedAgentStatus;
  registered: boolean;
  appliedVersion: number;
  createdAt: number;
  createdBy: string;
  stoppedAt: number | null;
  /** alarm runs in a row that ended in an error; 0 after a clean one */
  failures: number;
}

/** What a new life of the agent starts from. */
export type NewAgentRow = Pick<
  AgentRow,
  "agentId" | "workflowId" | "type" | "config" | "capabilities" | "createdAt" | "createdBy"
>;

/**
 * An agent's own SQLite rows: who it is (one row), the inbox of delivered versions it has not
 * handled yet, and its counters. Every method is synchronous, so one is one storage step.
 */
export class AgentStore {
  readonly #sql: SqlStorage;

  /** @param sql the agent object's SQL storage, migrated with `AGENT_MIGRATIONS` */
  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /** @returns the agent, or undefined before its first start */
  get(): AgentRow | undefined {
    const row = this.#sql.exec("SELECT * FROM agent WHERE singleton = 1").toArray()[0];
    if (row === undefined) return undefined;
    return {
      agentId: String(row.agent_id),
      workflowId: String(row.workflow_id),
      type: String(row.type),
      config: JSON.parse(String(row.config)) as JsonObject,
      capabilities: JSON.parse(String(row.capabilities)) as string[],
      status: String(row.status) as SpawnedAgentStatus,
      registered: Number(row.registered) === 1,
      appliedVersion: Number(row.applied_version),
      createdAt: Number(row.created_at),
      createdBy: String(row.created_by),
      stoppedAt: row.stopped_at === null ? null : Number(row.stopped_at),
      failures: Number(row.failures),
    };
  }

  /** Starts a new life: the row replaced, the inbox and counters emptied. */
  reset(agent: NewAgentRow): void {
    this.#sql.exec("DELETE FROM agent");
    this.#sql.exec("DELETE FROM inbox");
    this.#sql.exec("DELETE FROM counters");
    this.#sql.exec(
      `INSERT INTO agent (singleton, agent_id, workflow_id, type, config, capabilities, status,
         registered, applied_version, created_at, created_by)
       VALUES (1, ?, ?, ?, ?, ?, 'starting', 0, 0, ?, ?)`,
      agent.agentId,
      agent.workflowId,
      agent.type,
      JSON.stringify(agent.config),
      JSON.stringify(agent.capabilities),
      agent.createdAt,
      agent.createdBy,
    );
  }

  /** Sets the agent's status; `stopped` records when. */
  setStatus(status: SpawnedAgentStatus, now: number): void {
    this.#sql.exec(
      "UPDATE agent SET status = ?, stopped_at = ? WHERE singleton = 1",
      status,
      status === "stopped" ? now : null,
    );
  }

  /** Records that the coordinator knows the agent (or, `false`, that it must register again). */
  setRegistered(registered: boolean): void {
    this.#sql.exec("UPDATE agent SET registered = ? WHERE singleton = 1", registered ? 1 : 0);
  }

  /** Counts an alarm run that failed (or, `reset`, one that went through). */
  setFailures(failures: number): void {
    this.#sql.exec("UPDATE agent SET failures = ? WHERE singleton = 1", failures);
  }

  /** Puts delivered events in the inbox and moves `applied_version` past them. */
  enqueue(events: readonly StateEvent[], upTo: number): void {
    for (const event of events) {
      this.#sql.exec(
        "INSERT OR IGNORE INTO inbox (version, event) VALUES (?, ?)",
        event.version,
        JSON.stringify(event),
      );
    }
    this.#sql.exec(
      "UPDATE agent SET applied_version = MAX(applied_version, ?) WHERE singleton = 1",
      upTo,
    );
  }

  /** @returns the oldest event not yet handled */
  nextEvent(): StateEvent | undefined {
    const row = this.#sql.exec("SELECT event FROM inbox ORDER BY version LIMIT 1").toArray()[0];
    return row === undefined ? undefined : (JSON.parse(String(row.event)) as StateEvent);
  }

  /** Takes a handled event out of the inbox. */
  handled(version: number): void {
    this.#sql.exec("DELETE FROM inbox WHERE version = ?", version);
  }

  /** @returns how many events wait in the inbox */
  pending(): number {
    return Number(this.#sql.exec("SELECT COUNT(*) AS n FROM inbox").one().n);
  }

  /** Adds to a counter. */
  count(name: string, by = 1): void {
    this.#sql.exec(
      `INSERT INTO counters (name, value) VALUES (?, ?)
       ON CONFLICT (name) DO UPDATE SET value = value + excluded.value`,
      name,
      by,
    );
  }

  /** @returns every counter by name */
  counters(): Record<string, number> {
    const counters: Record<string, number> = {};
    for (const row of this.#sql.exec("SELECT name, value FROM counters ORDER BY name")) {
      counters[String(row.name)] = Number(row.value);
    }
    return counters;
  }

  /** @returns the agent as the API shows it */
  describe(row: AgentRow): SpawnedAgent {
    return {
      agentId: row.agentId,
      workflowId: row.workflowId,
      type: row.type as SpawnedAgent["type"],
      status: row.status,
      config: row.config,
      capabilities: row.capabilities,
      createdAt: row.createdAt,
      createdBy: row.createdBy,
      appliedVersion: row.appliedVersion,
      metrics: this.counters(),
      ...(row.stoppedAt === null ? {} : { stoppedAt: row.stoppedAt }),
    };
  }
}

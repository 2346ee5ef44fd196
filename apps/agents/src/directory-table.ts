import type { BuiltinAgentType, JsonObject, SpawnedAgentStatus } from "@chorus/core";

/** One spawned agent as the directory keeps it. */
export interface SpawnedRow {
  type: BuiltinAgentType;
  agentId: string;
  config: JsonObject;
  status: SpawnedAgentStatus;
  createdAt: number;
  createdBy: string;
}

/** The `spawned` table of a workflow's directory: one row per agent type. */
export class DirectoryTable {
  readonly #sql: SqlStorage;

  /** @param sql the directory object's SQL storage, migrated */
  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /** @returns the agent of a type, stopped or not */
  byType(type: BuiltinAgentType): SpawnedRow | undefined {
    return this.#rows("SELECT * FROM spawned WHERE type = ?", type)[0];
  }

  /** @returns the agent with this id */
  byId(agentId: string): SpawnedRow | undefined {
    return this.#rows("SELECT * FROM spawned WHERE agent_id = ?", agentId)[0];
  }

  /** @returns the agents not stopped, oldest first */
  live(): SpawnedRow[] {
    return this.#rows("SELECT * FROM spawned WHERE status != 'stopped' ORDER BY created_at, type");
  }

  /** Stores an agent, replacing a stopped one of its type. */
  put(row: SpawnedRow): void {
    this.#sql.exec(
      `INSERT INTO spawned (type, agent_id, config, status, created_at, created_by)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (type) DO UPDATE SET agent_id = excluded.agent_id, config = excluded.config,
         status = excluded.status, created_at = excluded.created_at, created_by = excluded.created_by`,
      row.type,
      row.agentId,
      JSON.stringify(row.config),
      row.status,
      row.createdAt,
      row.createdBy,
    );
  }

  /** Records an agent's status as it last answered. */
  setStatus(agentId: string, status: SpawnedAgentStatus): void {
    this.#sql.exec("UPDATE spawned SET status = ? WHERE agent_id = ?", status, agentId);
  }

  #rows(query: string, ...bindings: unknown[]): SpawnedRow[] {
    return this.#sql
      .exec(query, ...bindings)
      .toArray()
      .map((row) => ({
        type: String(row.type) as BuiltinAgentType,
        agentId: String(row.agent_id),
        config: JSON.parse(String(row.config)) as JsonObject,
        status: String(row.status) as SpawnedAgentStatus,
        createdAt: Number(row.created_at),
        createdBy: String(row.created_by),
      }));
  }
}

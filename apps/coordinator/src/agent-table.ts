import type { AgentLease, AgentRecord, AgentRecordStatus, JsonObject } from "@chorus/core";
import type { ListAgentsInput, RegisterAgentInput } from "./agent-inputs.ts";

type Row = Record<string, SqlStorageValue>;

/** The stored part of an agent's status; `idle` and `busy` are `active` with or without leases. */
export type StoredStatus = "active" | "draining" | "offline";

/** The `agents`, `agent_workflows`, `leases` and `reservations` tables of one agent shard. */
export class AgentTable {
  readonly #sql: SqlStorage;

  /** @param sql the shard's SQL storage, migrated */
  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /**
   * Adds an agent, and the workflows it is limited to; the caller runs it in a transaction.
   * @param input the validated registration
   * @param now the registration time
   */
  insert(input: RegisterAgentInput, now: number): void {
    const { spec } = input;
    this.#sql.exec(
      `INSERT INTO agents (id, name, type, capabilities, max_concurrency, ttl_ms, workflow_ids,
         metadata, status, reported, last_seen_at, created_at, created_by, token_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', 'idle', ?, ?, ?, ?)`,
      input.agentId,
      spec.name,
      spec.type,
      JSON.stringify([...new Set(spec.capabilities)]),
      spec.maxConcurrency,
      spec.ttlMs,
      spec.workflowIds === undefined ? null : JSON.stringify([...new Set(spec.workflowIds)]),
      spec.metadata === undefined ? null : JSON.stringify(spec.metadata),
      now,
      now,
      input.createdBy,
      input.tokenId ?? null,
    );
    for (const workflowId of new Set(spec.workflowIds ?? []))
      this.addWorkflow(input.agentId, workflowId);
  }

  /**
   * @param agentId an agent id
   * @param now the time its leases and reservations are counted at
   * @returns its record, or `undefined` when this shard has none
   */
  get(agentId: string, now: number): AgentRecord | undefined {
    const row = this.#sql.exec("SELECT * FROM agents WHERE id = ?", agentId).toArray()[0];
    return row === undefined ? undefined : this.#toRecord(row, now);
  }

  /**
   * @param filters what every listed agent must match
   * @param now the time leases are counted at
   * @returns this shard's matching agents, oldest first
   */
  list(filters: ListAgentsInput, now: number): AgentRecord[] {
    const where: string[] = [];
    const bindings: SqlStorageValue[] = [];
    if (filters.workflowId !== undefined) {
      where.push("id IN (SELECT agent_id FROM agent_workflows WHERE workflow_id = ?)");
      bindings.push(filters.workflowId);
    }
    if (filters.type !== undefined) {
      where.push("type = ?");
      bindings.push(filters.type);
    }
    if (filters.capability !== undefined) {
      where.push("EXISTS (SELECT 1 FROM json_each(capabilities) WHERE value = ?)");
      bindings.push(filters.capability);
    }
    const filter = where.length === 0 ? "" : `WHERE ${where.join(" AND ")}`;
    const records = this.#sql
      .exec(`SELECT * FROM agents ${filter} ORDER BY created_at, id`, ...bindings)
      .toArray()
      .map((row) => this.#toRecord(row, now));
    return filters.status === undefined
      ? records
      : records.filter((record) => record.status === filters.status);
  }

  /** @returns the ids of agents whose time to live ran out by `now` and are not yet offline */
  silent(now: number): string[] {
    return this.#sql
      .exec("SELECT id FROM agents WHERE status != 'offline' AND last_seen_at + ttl_ms <= ?", now)
      .toArray()
      .map((row) => String(row.id));
  }

  /** @returns when the next agent will have been silent for its time to live, if any will */
  nextDeadline(): number | undefined {
    const row = this.#sql
      .exec("SELECT MIN(last_seen_at + ttl_ms) AS due FROM agents WHERE status != 'offline'")
      .toArray()[0];
    return row?.due === null || row?.due === undefined ? undefined : Number(row.due);
  }

  /** Sets the stored status and, optionally, when the agent was last heard. */
  setStatus(agentId: string, status: StoredStatus, lastSeenAt?: number): void {
    if (lastSeenAt === undefined) {
      this.#sql.exec("UPDATE agents SET status = ? WHERE id = ?", status, agentId);
    } else {
      this.#sql.exec(
        "UPDATE agents SET status = ?, last_seen_at = MAX(last_seen_at, ?) WHERE id = ?",
        status,
        lastSeenAt,
        agentId,
      );
    }
  }

  /** Records the status last written to the agent's workflows. */
  setReported(agentId: string, status: AgentRecordStatus): void {
    this.#sql.exec("UPDATE agents SET reported = ? WHERE id = ?", status, agentId);
  }

  /** @returns the status last written to the agent's workflows */
  reported(agentId: string): string | undefined {
    const row = this.#sql.exec("SELECT reported FROM agents WHERE id = ?", agentId).toArray()[0];
    return row === undefined ? undefined : String(row.reported);
  }

  /** Deletes an agent and everything it holds; the caller runs it in a transaction. */
  delete(agentId: string): void {
    for (const table of ["leases", "reservations"]) {
      this.#sql.exec(`DELETE FROM ${table} WHERE agent_id = ?`, agentId);
    }
    this.#sql.exec("DELETE FROM agent_workflows WHERE agent_id = ?", agentId);
    this.#sql.exec("DELETE FROM agents WHERE id = ?", agentId);
  }

  /** Records that the agent works on a workflow. */
  addWorkflow(agentId: string, workflowId: string): void {
    this.#sql.exec(
      "INSERT OR IGNORE INTO agent_workflows (agent_id, workflow_id) VALUES (?, ?)",
      agentId,
      workflowId,
    );
  }

  /** @returns the workflows the agent works on */
  workflows(agentId: string): string[] {
    return this.#sql
      .exec("SELECT workflow_id FROM agent_workflows WHERE agent_id = ?", agentId)
      .toArray()
      .map((row) => String(row.workflow_id));
  }

  /** @returns slots held by live leases and unexpired reservations */
  held(agentId: string, now: number): number {
    const leases = this.#sql
      .exec("SELECT COUNT(*) AS n FROM leases WHERE agent_id = ? AND expires_at > ?", agentId, now)
      .one().n;
    const reserved = this.#sql
      .exec(
        "SELECT COALESCE(SUM(slots), 0) AS n FROM reservations WHERE agent_id = ? AND expires_at > ?",
        agentId,
        now,
      )
      .one().n;
    return Number(leases) + Number(reserved);
  }

  /** @returns the agent's live leases, soonest to expire first */
  leases(agentId: string, now: number): AgentLease[] {
    return this.#sql
      .exec(
        "SELECT * FROM leases WHERE agent_id = ? AND expires_at > ? ORDER BY expires_at, lease_id",
        agentId,
        now,
      )
      .toArray()
      .map((row) => ({
        workflowId: String(row.workflow_id),
        taskId: String(row.task_id),
        leaseId: String(row.lease_id),
        expiresAt: Number(row.expires_at),
      }));
  }

  /** Holds `slots` of an agent's capacity until `expiresAt`. */
  reserve(id: string, agentId: string, slots: number, expiresAt: number): void {
    this.#sql.exec(
      "INSERT INTO reservations (id, agent_id, slots, expires_at) VALUES (?, ?, ?, ?)",
      id,
      agentId,
      slots,
      expiresAt,
    );
  }

  /** @returns whether the reservation was still there (and is now gone) */
  release(id: string, agentId: string): boolean {
    return (
      this.#sql.exec("DELETE FROM reservations WHERE id = ? AND agent_id = ?", id, agentId)
        .rowsWritten > 0
    );
  }

  /**
   * Records a lease the task board granted. A settle replayed for the same lease only moves its
   * expiry; it never hands another agent's lease to this one.
   */
  addLease(agentId: string, workflowId: string, lease: AgentLease): void {
    this.#sql.exec(
      `INSERT INTO leases (lease_id, agent_id, workflow_id, task_id, expires_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (lease_id) DO UPDATE SET expires_at = excluded.expires_at
       WHERE leases.agent_id = excluded.agent_id`,
      lease.leaseId,
      agentId,
      workflowId,
      lease.taskId,
      lease.expiresAt,
    );
  }

  /** Moves a lease's expiry. */
  renewLease(agentId: string, leaseId: string, expiresAt: number): void {
    this.#sql.exec(
      "UPDATE leases SET expires_at = ? WHERE lease_id = ? AND agent_id = ?",
      expiresAt,
      leaseId,
      agentId,
    );
  }

  /** Forgets a lease that ended. */
  endLease(agentId: string, leaseId: string): void {
    this.#sql.exec("DELETE FROM leases WHERE lease_id = ? AND agent_id = ?", leaseId, agentId);
  }

  /** Forgets the agent's lease on a task, whatever its id. */
  endTaskLease(agentId: string, workflowId: string, taskId: string): void {
    this.#sql.exec(
      "DELETE FROM leases WHERE agent_id = ? AND workflow_id = ? AND task_id = ?",
      agentId,
      workflowId,
      taskId,
    );
  }

  /** Forgets leases and reservations that ran out by `now`: they no longer count. */
  purge(now: number): void {
    this.#sql.exec("DELETE FROM leases WHERE expires_at <= ?", now);
    this.#sql.exec("DELETE FROM reservations WHERE expires_at <= ?", now);
  }

  /** @returns the workflows where the agent holds leases (live or not), then forgets them all */
  dropLeases(agentId: string): string[] {
    const workflows = this.#sql
      .exec("SELECT DISTINCT workflow_id FROM leases WHERE agent_id = ?", agentId)
      .toArray()
      .map((row) => String(row.workflow_id));
    this.#sql.exec("DELETE FROM leases WHERE agent_id = ?", agentId);
    this.#sql.exec("DELETE FROM reservations WHERE agent_id = ?", agentId);
    return workflows;
  }

  #toRecord(row: Row, now: number): AgentRecord {
    const agentId = String(row.id);
    const leases = Number(
      this.#sql
        .exec(
          "SELECT COUNT(*) AS n FROM leases WHERE agent_id = ? AND expires_at > ?",
          agentId,
          now,
        )
        .one().n,
    );
    const stored = String(row.status) as StoredStatus;
    const status: AgentRecordStatus = stored === "active" ? (leases > 0 ? "busy" : "idle") : stored;
    const record: AgentRecord = {
      id: agentId,
      name: String(row.name),
      type: String(row.type),
      capabilities: JSON.parse(String(row.capabilities)) as string[],
      maxConcurrency: Number(row.max_concurrency),
      ttlMs: Number(row.ttl_ms),
      workflowIds:
        row.workflow_ids === null ? null : (JSON.parse(String(row.workflow_ids)) as string[]),
      status,
      leases,
      lastSeenAt: Number(row.last_seen_at),
      createdAt: Number(row.created_at),
      createdBy: String(row.created_by),
    };
    if (row.metadata !== null) record.metadata = JSON.parse(String(row.metadata)) as JsonObject;
    if (row.token_id !== null) record.tokenId = String(row.token_id);
    return record;
  }
}

import type { AgentRecord, WorkflowRecord, WorkflowSample } from "@chorus/core";

/** What the coordinator last said, and when it was read. */
export interface RegistryView {
  workflows: WorkflowRecord[];
  agents: AgentRecord[];
  readAt: number;
}

/**
 * The IntegrationDashboard's rows: each sampled workflow's figures (`samples`) and the
 * coordinator's lists (`registry`); and, in memory, the workflows whose changes arrived since
 * their sample was read (the stale marks).
 *
 * The marks are not written: one write per delivery, for every commit of every workflow, would
 * cost the writers more than the page is worth. An instance that starts holds every stored
 * sample as stale instead, so a mark lost with the last instance only costs one read more.
 */
export class DashboardStore {
  readonly #sql: SqlStorage;
  /** the stale marks: the newest version noted for each workflow; read on first use */
  #stale: Map<string, number> | undefined;

  /** @param sql the dashboard object's SQL storage, migrated */
  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /** Notes that a workflow changed up to `upTo`, keeping the highest version noted. */
  markStale(workflowId: string, upTo: number): void {
    const marks = this.#marks();
    marks.set(workflowId, Math.max(marks.get(workflowId) ?? 0, upTo));
  }

  /** @returns the workflows noted as changed, and the newest version noted for each */
  stale(): Map<string, number> {
    return new Map(this.#marks());
  }

  #marks(): Map<string, number> {
    if (this.#stale === undefined) {
      const rows = this.#sql.exec("SELECT workflow_id FROM samples").toArray();
      this.#stale = new Map(rows.map((row) => [String(row.workflow_id), 0]));
    }
    return this.#stale;
  }

  /**
   * Stores a workflow's sample and forgets its stale mark, unless a later change arrived while
   * it was read (then the mark stays, for the next read).
   * @param sample what was read
   * @param readFrom the stale mark's version when the read began (0 when it had none)
   * @param now when it was read
   */
  putSample(sample: WorkflowSample, readFrom: number, now: number): void {
    const workflowId = sample.workflow.id;
    this.#sql.exec(
      `INSERT INTO samples (workflow_id, sample, read_at) VALUES (?, ?, ?)
       ON CONFLICT (workflow_id) DO UPDATE SET sample = excluded.sample, read_at = excluded.read_at`,
      workflowId,
      JSON.stringify(sample),
      now,
    );
    const marks = this.#marks();
    if ((marks.get(workflowId) ?? 0) <= readFrom) marks.delete(workflowId);
  }

  /** @returns the stored samples of these workflows (those it has) */
  samples(workflowIds: readonly string[]): Map<string, WorkflowSample> {
    const found = new Map<string, WorkflowSample>();
    for (const row of this.#sql.exec("SELECT workflow_id, sample FROM samples")) {
      const id = String(row.workflow_id);
      if (workflowIds.includes(id)) found.set(id, JSON.parse(String(row.sample)) as WorkflowSample);
    }
    return found;
  }

  /** Forgets the samples and marks of workflows no longer sampled, so storage stays bounded. */
  keepOnly(workflowIds: readonly string[]): void {
    const keep = JSON.stringify(workflowIds);
    this.#sql.exec(
      "DELETE FROM samples WHERE workflow_id NOT IN (SELECT value FROM json_each(?))",
      keep,
    );
    const marks = this.#marks();
    for (const id of marks.keys()) if (!workflowIds.includes(id)) marks.delete(id);
  }

  /** Stores the coordinator's lists as read at `now`. */
  putRegistry(workflows: readonly WorkflowRecord[], agents: readonly AgentRecord[], now: number) {
    const put = (name: string, value: unknown) =>
      this.#sql.exec(
        `INSERT INTO registry (name, value, read_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value, read_at = excluded.read_at`,
        name,
        JSON.stringify(value),
        now,
      );
    put("workflows", workflows);
    put("agents", agents);
  }

  /** @returns the coordinator's lists as last read, or `undefined` before the first read */
  registry(): RegistryView | undefined {
    const rows = this.#sql.exec("SELECT name, value, read_at FROM registry").toArray();
    const workflows = rows.find((row) => row.name === "workflows");
    const agents = rows.find((row) => row.name === "agents");
    if (workflows === undefined || agents === undefined) return undefined;
    return {
      workflows: JSON.parse(String(workflows.value)) as WorkflowRecord[],
      agents: JSON.parse(String(agents.value)) as AgentRecord[],
      readAt: Math.min(Number(workflows.read_at), Number(agents.read_at)),
    };
  }
}

import type { Agent, Result } from "@chorus/core";
import { type TaskBoard, taskBoard } from "./task-board.ts";

/** After this many failed attempts a row is dropped: its workflow is gone or refuses it for good. */
const MAX_ATTEMPTS = 10;

/**
 * An agent shard's outbox: lease releases for offline agents, and agent status changes to write
 * to `/agents/{agentId}` of each workflow. Rows are written in the transaction that changes the
 * agent, and sent by {@link flush}, which the shard's alarm runs until none is left, so a call
 * that fails (or a worker that dies) only delays them.
 */
export class AgentOutbox {
  readonly #sql: SqlStorage;
  readonly #board: TaskBoard;

  /**
   * @param sql the shard's SQL storage, migrated
   * @param state the `STATE` service binding
   */
  constructor(sql: SqlStorage, state: CoordinatorEnv["STATE"]) {
    this.#sql = sql;
    this.#board = taskBoard(state);
  }

  /** Queues the release of an agent's leases in each workflow. */
  queueRelease(agentId: string, workflowIds: readonly string[]): void {
    for (const workflowId of workflowIds) {
      this.#sql.exec(
        "INSERT OR IGNORE INTO pending_releases (agent_id, workflow_id) VALUES (?, ?)",
        agentId,
        workflowId,
      );
    }
  }

  /**
   * Queues an agent's view (or its removal, `null`) for `/agents/{agentId}` of each workflow,
   * to be sent from `dueAt` on. A view queued again replaces the unsent one; it keeps the
   * earlier due time, so a change waiting to go out is never pushed back.
   */
  queueStatus(
    agentId: string,
    workflowIds: readonly string[],
    view: Agent | null,
    dueAt = 0,
  ): void {
    for (const workflowId of workflowIds) {
      this.#sql.exec(
        `INSERT INTO pending_statuses (agent_id, workflow_id, view, due_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (agent_id, workflow_id) DO UPDATE SET view = excluded.view, attempts = 0,
           due_at = MIN(due_at, excluded.due_at)`,
        agentId,
        workflowId,
        view === null ? null : JSON.stringify(view),
        dueAt,
      );
    }
  }

  /** @returns when the earliest waiting row is due (a release: now), if any waits */
  nextDue(): number | undefined {
    const releases = this.#sql.exec("SELECT COUNT(*) AS n FROM pending_releases").one();
    if (Number(releases.n) > 0) return 0;
    const row = this.#sql.exec("SELECT MIN(due_at) AS due FROM pending_statuses").one();
    return row.due === null ? undefined : Number(row.due);
  }

  /** Sends every waiting row once; a row that fails stays for the next flush. */
  async flush(): Promise<void> {
    const releases = this.#sql.exec("SELECT * FROM pending_releases").toArray();
    await Promise.all(
      releases.map(async (row) => {
        const agentId = String(row.agent_id);
        const workflowId = String(row.workflow_id);
        const result = await settled(this.#board.releaseAgentLeases({ workflowId, agentId }));
        this.#settle("pending_releases", agentId, workflowId, result);
      }),
    );
    const statuses = this.#sql
      .exec("SELECT * FROM pending_statuses WHERE due_at <= ?", Date.now())
      .toArray();
    await Promise.all(
      statuses.map(async (row) => {
        const agentId = String(row.agent_id);
        const workflowId = String(row.workflow_id);
        const view = row.view === null ? null : (JSON.parse(String(row.view)) as Agent);
        // Busy and idle again (or back) before it was due: the workflow already shows this
        // status, so nothing is written; its `lastSeen` stays that of the last change written.
        if (view !== null && view.status === this.#shown(agentId, workflowId)) {
          this.#sql.exec(
            "DELETE FROM pending_statuses WHERE agent_id = ? AND workflow_id = ? AND view IS ?",
            agentId,
            workflowId,
            row.view,
          );
          return;
        }
        // A newer view may be queued while this one is in flight: only delete the one sent.
        const result = await this.#writeStatus(workflowId, agentId, view);
        if (result.ok) this.#show(agentId, workflowId, view);
        const current = this.#sql
          .exec(
            "SELECT view FROM pending_statuses WHERE agent_id = ? AND workflow_id = ?",
            agentId,
            workflowId,
          )
          .toArray()[0];
        if (current !== undefined && current.view !== row.view) return;
        this.#settle("pending_statuses", agentId, workflowId, result);
      }),
    );
  }

  /** @returns the status last written to the workflow's state for the agent, if any */
  #shown(agentId: string, workflowId: string): string | undefined {
    const row = this.#sql
      .exec(
        "SELECT status FROM shown_statuses WHERE agent_id = ? AND workflow_id = ?",
        agentId,
        workflowId,
      )
      .toArray()[0];
    return row === undefined ? undefined : String(row.status);
  }

  #show(agentId: string, workflowId: string, view: Agent | null): void {
    if (view === null) {
      this.#sql.exec(
        "DELETE FROM shown_statuses WHERE agent_id = ? AND workflow_id = ?",
        agentId,
        workflowId,
      );
      return;
    }
    this.#sql.exec(
      `INSERT INTO shown_statuses (agent_id, workflow_id, status) VALUES (?, ?, ?)
       ON CONFLICT (agent_id, workflow_id) DO UPDATE SET status = excluded.status`,
      agentId,
      workflowId,
      view.status,
    );
  }

  async #writeStatus(workflowId: string, agentId: string, view: Agent | null) {
    const path = `/agents/${escapePointer(agentId)}`;
    const write = (patch: unknown) =>
      settled(
        this.#board.commit({
          workflowId,
          patch,
          author: "coordinator",
          changeDescription:
            view === null ? `Agent ${agentId} deregistered` : `Agent ${agentId} is ${view.status}`,
        }),
      );
    if (view === null) {
      const result = await write([{ op: "remove", path }]);
      // Nothing to remove is done too.
      return !result.ok && result.error.code === "INVALID_PATCH"
        ? { ok: true as const, value: null }
        : result;
    }
    const result = await write([{ op: "add", path, value: view }]);
    if (result.ok || result.error.code !== "INVALID_PATCH") return result;
    // A state without /agents yet: add the member with this agent in it.
    return write([{ op: "add", path: "/agents", value: { [agentId]: view } }]);
  }

  #settle(table: string, agentId: string, workflowId: string, result: Result<unknown>): void {
    // NOT_FOUND: the workflow is gone, so there is nothing left to tell it.
    if (result.ok || result.error.code === "NOT_FOUND") {
      this.#sql.exec(
        `DELETE FROM ${table} WHERE agent_id = ? AND workflow_id = ?`,
        agentId,
        workflowId,
      );
      return;
    }
    console.warn(`agent outbox: ${table} ${agentId} → ${workflowId}: ${result.error.message}`);
    this.#sql.exec(
      `UPDATE ${table} SET attempts = attempts + 1 WHERE agent_id = ? AND workflow_id = ?`,
      agentId,
      workflowId,
    );
    this.#sql.exec(`DELETE FROM ${table} WHERE attempts >= ?`, MAX_ATTEMPTS);
  }
}

/** A call's result, a thrown error (the binding is down, a method is missing) included. */
async function settled(pending: Promise<Result<unknown>>): Promise<Result<unknown>> {
  try {
    return await pending;
  } catch (error) {
    return { ok: false, error: { code: "INTERNAL", message: String(error) } };
  }
}

// RFC 6901 §3: `~` and `/` in a member name are written `~0` and `~1`.
function escapePointer(name: string): string {
  return name.replaceAll("~", "~0").replaceAll("/", "~1");
}

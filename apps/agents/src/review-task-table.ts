/**
 * How far the manager took a review's task: `open` while the review waits, then `completed`
 * or `cancelled` by the manager, or `settled` when it found the task already final.
 */
export type ReviewTaskStatus = "open" | "completed" | "cancelled" | "settled";

/** One review the manager made a task of. */
export interface ReviewTaskRow {
  reviewId: string;
  taskId: string;
  status: ReviewTaskStatus;
  createdAt: number;
  settledAt: number | null;
}

/** The Review Manager's `review_tasks` table: which reviews it made tasks of, and their fate. */
export class ReviewTaskTable {
  readonly #sql: SqlStorage;

  /** @param sql the agent's SQL storage */
  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /** @returns the row of a review; `undefined` when the manager made no task of it */
  get(reviewId: string): ReviewTaskRow | undefined {
    const [row] = this.#sql
      .exec<Record<string, SqlStorageValue>>(
        "SELECT * FROM review_tasks WHERE review_id = ?",
        reviewId,
      )
      .toArray();
    return row === undefined ? undefined : toRow(row);
  }

  /** @returns every row, oldest first */
  all(): ReviewTaskRow[] {
    return this.#sql
      .exec<Record<string, SqlStorageValue>>(
        "SELECT * FROM review_tasks ORDER BY created_at, review_id",
      )
      .toArray()
      .map(toRow);
  }

  /** Records that a review's task exists (a repeat keeps the first row). */
  opened(reviewId: string, taskId: string, at: number): void {
    this.#sql.exec(
      "INSERT OR IGNORE INTO review_tasks (review_id, task_id, status, created_at) VALUES (?, ?, 'open', ?)",
      reviewId,
      taskId,
      at,
    );
  }

  /** Records how a review's task ended. */
  settle(reviewId: string, status: Exclude<ReviewTaskStatus, "open">, at: number): void {
    this.#sql.exec(
      "UPDATE review_tasks SET status = ?, settled_at = ? WHERE review_id = ?",
      status,
      at,
      reviewId,
    );
  }
}

function toRow(row: Record<string, SqlStorageValue>): ReviewTaskRow {
  return {
    reviewId: String(row.review_id),
    taskId: String(row.task_id),
    status: String(row.status) as ReviewTaskStatus,
    createdAt: Number(row.created_at),
    settledAt: row.settled_at === null ? null : Number(row.settled_at),
  };
}

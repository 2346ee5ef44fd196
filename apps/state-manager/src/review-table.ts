import { ChorusError, type Review, type ReviewNote, type ReviewStatus } from "@chorus/core";

/** A review as stored: the public shape without `approvedBy`, which depends on the branch head. */
export type StoredReview = Omit<Review, "approvedBy">;

/** The `reviews` table: one row per review, its notes as a JSON array. */
export class ReviewTable {
  readonly #sql: SqlStorage;

  /** @param sql the Durable Object's SQL storage */
  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /** Stores a new review; call inside the transaction of what opened it. */
  insert(review: StoredReview): void {
    this.#sql.exec(
      `INSERT INTO reviews (id, branch, into_branch, status, author, title, created_at, updated_at,
         required, gated_paths, notes, merge_version, conflict_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      review.id,
      review.branch,
      review.into,
      review.status,
      review.author,
      review.title,
      review.createdAt,
      review.updatedAt,
      review.requiredApprovals,
      JSON.stringify(review.gatedPaths),
      JSON.stringify(review.notes),
      review.mergeVersion,
      review.conflictId,
    );
  }

  /** Writes back a review's status, notes, merge version and conflict. */
  update(review: StoredReview): void {
    this.#sql.exec(
      `UPDATE reviews SET status = ?, updated_at = ?, notes = ?, merge_version = ?, conflict_id = ?
       WHERE id = ?`,
      review.status,
      review.updatedAt,
      JSON.stringify(review.notes),
      review.mergeVersion,
      review.conflictId,
      review.id,
    );
  }

  /** @returns the review, if it exists */
  get(id: string): StoredReview | undefined {
    const row = this.#sql.exec("SELECT * FROM reviews WHERE id = ?", id).toArray()[0];
    return row === undefined ? undefined : toReview(row);
  }

  /**
   * @returns the review
   * @throws ChorusError `NOT_FOUND` at `/reviewId`
   */
  require(id: string): StoredReview {
    const review = this.get(id);
    if (review !== undefined) return review;
    throw new ChorusError("NOT_FOUND", `review "${id}" does not exist`, { path: "/reviewId" });
  }

  /** @returns the review whose approved merge queued this conflict, if any */
  byConflict(conflictId: string): StoredReview | undefined {
    const row = this.#sql
      .exec("SELECT * FROM reviews WHERE conflict_id = ?", conflictId)
      .toArray()[0];
    return row === undefined ? undefined : toReview(row);
  }

  /** @returns reviews, newest first, optionally of one status */
  list(status?: ReviewStatus): StoredReview[] {
    const rows =
      status === undefined
        ? this.#sql.exec("SELECT * FROM reviews ORDER BY created_at DESC, id")
        : this.#sql.exec(
            "SELECT * FROM reviews WHERE status = ? ORDER BY created_at DESC, id",
            status,
          );
    return rows.toArray().map(toReview);
  }
}

function toReview(row: Record<string, SqlStorageValue>): StoredReview {
  return {
    id: String(row.id),
    branch: String(row.branch),
    into: String(row.into_branch),
    status: String(row.status) as ReviewStatus,
    author: String(row.author),
    title: String(row.title),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    requiredApprovals: Number(row.required),
    gatedPaths: JSON.parse(String(row.gated_paths)) as string[],
    notes: JSON.parse(String(row.notes)) as ReviewNote[],
    mergeVersion: row.merge_version === null ? null : Number(row.merge_version),
    conflictId: row.conflict_id === null ? null : String(row.conflict_id),
  };
}

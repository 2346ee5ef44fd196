import { ChorusError, type Snapshot } from "@chorus/core";

/** The `snapshots` table: named points in history that are never archived away. */
export class SnapshotTable {
  readonly #sql: SqlStorage;

  /** @param sql the Durable Object's SQL storage */
  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /**
   * @param snapshot the snapshot to record
   */
  insert(snapshot: Snapshot): void {
    this.#sql.exec(
      "INSERT INTO snapshots (id, version, description, created_at, author, checksum) VALUES (?, ?, ?, ?, ?, ?)",
      snapshot.id,
      snapshot.version,
      snapshot.description,
      snapshot.createdAt,
      snapshot.author,
      snapshot.checksum,
    );
  }

  /**
   * @param workflowId the workflow the table belongs to
   * @returns every snapshot, newest first
   */
  list(workflowId: string): Snapshot[] {
    return this.#sql
      .exec<Record<string, SqlStorageValue>>(
        "SELECT * FROM snapshots ORDER BY created_at DESC, version DESC",
      )
      .toArray()
      .map((raw) => ({
        id: String(raw.id),
        workflowId,
        version: Number(raw.version),
        description: String(raw.description),
        createdAt: Number(raw.created_at),
        author: String(raw.author),
        checksum: String(raw.checksum),
      }));
  }

  /**
   * @param workflowId the workflow the table belongs to
   * @param id a snapshot id
   * @returns the snapshot
   * @throws ChorusError `NOT_FOUND`
   */
  require(workflowId: string, id: string): Snapshot {
    const snapshot = this.list(workflowId).find((candidate) => candidate.id === id);
    if (snapshot === undefined) {
      throw new ChorusError("NOT_FOUND", `snapshot "${id}" does not exist`, {
        path: "/snapshotId",
      });
    }
    return snapshot;
  }

  /** @returns the versions snapshots point at */
  versions(): number[] {
    return this.#sql
      .exec("SELECT DISTINCT version FROM snapshots")
      .toArray()
      .map((raw) => Number(raw.version));
  }
}

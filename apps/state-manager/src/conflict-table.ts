import {
  ChorusError,
  type Conflict,
  type JsonValue,
  type QueuedConflict,
  type QueuedConflictStatus,
} from "@chorus/core";
import type { BlobStore } from "./blob-store.ts";

const key = {
  conflicts: (id: string) => `c:${id}/conflicts`,
  theirs: (id: string) => `c:${id}/theirs`,
};

/** The `conflicts` table plus each conflict's detail and incoming state in blobs. */
export class ConflictTable {
  readonly #sql: SqlStorage;
  readonly #blobs: BlobStore;

  /**
   * @param sql the Durable Object's SQL storage
   * @param blobs chunked storage for the incoming state
   */
  constructor(sql: SqlStorage, blobs: BlobStore) {
    this.#sql = sql;
    this.#blobs = blobs;
  }

  /**
   * Queues a conflict; call inside a transaction.
   * @param conflict the conflict
   * @param theirs the incoming state, needed to resolve it later
   */
  insert(conflict: QueuedConflict, theirs: JsonValue): void {
    this.#sql.exec(
      `INSERT INTO conflicts (id, branch, base, head, source, theirs_version, status, author, description, created_at, paths, resolved_version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
      conflict.id,
      conflict.branch,
      conflict.base,
      conflict.head,
      conflict.source,
      conflict.theirsVersion,
      conflict.status,
      conflict.author,
      conflict.description,
      conflict.createdAt,
      JSON.stringify(conflict.conflicts.map((c) => c.path)),
    );
    this.#blobs.put(key.conflicts(conflict.id), JSON.stringify(conflict.conflicts));
    this.#blobs.put(key.theirs(conflict.id), JSON.stringify(theirs));
  }

  /**
   * @param status only conflicts in this state
   * @returns conflicts, oldest first
   */
  list(status?: QueuedConflictStatus): QueuedConflict[] {
    const rows =
      status === undefined
        ? this.#sql.exec<Record<string, SqlStorageValue>>(
            "SELECT * FROM conflicts ORDER BY created_at, id",
          )
        : this.#sql.exec<Record<string, SqlStorageValue>>(
            "SELECT * FROM conflicts WHERE status = ? ORDER BY created_at, id",
            status,
          );
    return rows.toArray().map((raw) => this.#decode(raw));
  }

  /**
   * @param id a conflict id
   * @returns the conflict and its incoming state
   * @throws ChorusError `NOT_FOUND`
   */
  require(id: string): { conflict: QueuedConflict; theirs: JsonValue } {
    const raw = this.#sql
      .exec<Record<string, SqlStorageValue>>("SELECT * FROM conflicts WHERE id = ?", id)
      .toArray()[0];
    if (raw === undefined) {
      throw new ChorusError("NOT_FOUND", `conflict "${id}" does not exist`, {
        path: "/conflictId",
      });
    }
    const theirs = JSON.parse(this.#blobs.get(key.theirs(id)) ?? "null") as JsonValue;
    return { conflict: this.#decode(raw), theirs };
  }

  /**
   * Marks a conflict resolved by a version; its incoming state is no longer needed.
   * @param id the conflict
   * @param version the version that resolved it
   */
  resolve(id: string, version: number): void {
    this.#sql.exec(
      "UPDATE conflicts SET status = 'resolved', resolved_version = ? WHERE id = ?",
      version,
      id,
    );
    this.#blobs.delete(key.theirs(id));
  }

  /** @returns the base and head versions open conflicts still need */
  pinnedVersions(): number[] {
    return this.#sql
      .exec("SELECT base, head, theirs_version FROM conflicts WHERE status = 'open'")
      .toArray()
      .flatMap((raw) =>
        [raw.base, raw.head, raw.theirs_version].filter((v) => v !== null).map(Number),
      );
  }

  #decode(raw: Record<string, SqlStorageValue>): QueuedConflict {
    const id = String(raw.id);
    return {
      id,
      branch: String(raw.branch),
      base: Number(raw.base),
      head: Number(raw.head),
      source: String(raw.source),
      theirsVersion: raw.theirs_version === null ? null : Number(raw.theirs_version),
      status: raw.status === "resolved" ? "resolved" : "open",
      author: String(raw.author),
      description: String(raw.description),
      createdAt: Number(raw.created_at),
      conflicts: JSON.parse(this.#blobs.get(key.conflicts(id)) ?? "[]") as Conflict[],
      resolvedVersion: raw.resolved_version === null ? null : Number(raw.resolved_version),
    };
  }
}

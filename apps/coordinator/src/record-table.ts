import type { WorkflowRecord } from "@chorus/core";
import type { ShardPageInput } from "./inputs.ts";

type Row = Record<string, SqlStorageValue>;

const COLUMNS =
  "w.id, w.name, w.description, w.status, w.priority, w.tags, w.user_id, w.created_at, w.updated_at, w.created_by";

/** The `workflows` and `workflow_tags` tables of one registry shard. */
export class RecordTable {
  readonly #sql: SqlStorage;

  /** @param sql the shard's SQL storage, migrated */
  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /**
   * @param id a workflow id
   * @returns its record, or `undefined` when this shard has none
   */
  get(id: string): WorkflowRecord | undefined {
    const row = this.#sql
      .exec(`SELECT ${COLUMNS} FROM workflows w WHERE w.id = ?`, id)
      .toArray()[0];
    return row === undefined ? undefined : toRecord(row);
  }

  /**
   * Adds a record, its tag rows and its registration; the caller runs it inside a transaction.
   * @param record a record whose id is not stored yet
   */
  insert(record: WorkflowRecord): void {
    this.#sql.exec(
      `INSERT INTO workflows (id, name, description, status, priority, tags, user_id, created_at, updated_at, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ...toColumns(record),
    );
    this.#sql.exec(
      "INSERT INTO workflow_registrations (workflow_id, record) VALUES (?, ?)",
      record.id,
      registration(record),
    );
    this.#addTags(record);
  }

  /**
   * @param record a record whose id is stored
   * @returns whether the stored record was registered as exactly this one (updates since aside)
   */
  registeredAs(record: WorkflowRecord): boolean {
    const row = this.#sql
      .exec("SELECT record FROM workflow_registrations WHERE workflow_id = ?", record.id)
      .toArray()[0];
    if (row !== undefined) return row.record === registration(record);
    // A record stored before registrations were kept has only its current form to compare.
    const current = this.get(record.id);
    return current !== undefined && registration(current) === registration(record);
  }

  /**
   * Overwrites a stored record and moves its tag rows from `before.tags` to `after.tags`; the
   * caller runs it inside a transaction.
   * @param before the record as stored
   * @param after the record to store, with the same id
   */
  replace(before: WorkflowRecord, after: WorkflowRecord): void {
    const [id, ...rest] = toColumns(after);
    this.#sql.exec(
      `UPDATE workflows SET name = ?, description = ?, status = ?, priority = ?, tags = ?, user_id = ?,
         created_at = ?, updated_at = ?, created_by = ? WHERE id = ?`,
      ...rest,
      id,
    );
    for (const tag of before.tags) {
      this.#sql.exec(
        "DELETE FROM workflow_tags WHERE tag = ? AND created_at = ? AND workflow_id = ?",
        tag,
        before.createdAt,
        before.id,
      );
    }
    this.#addTags(after);
  }

  /**
   * This shard's part of a listing.
   * @param query filters, how many rows, and the position to continue after
   * @returns up to `limit` records, newest first (`created_at` then `id`, descending)
   */
  page(query: ShardPageInput): WorkflowRecord[] {
    const where: string[] = [];
    const bindings: SqlStorageValue[] = [];
    // With a tag, walk the tag's index in sort order and join each row to its record.
    const [from, time, id] =
      query.tag === undefined
        ? ["workflows w", "w.created_at", "w.id"]
        : [
            "workflow_tags t JOIN workflows w ON w.id = t.workflow_id",
            "t.created_at",
            "t.workflow_id",
          ];
    if (query.tag !== undefined) {
      where.push("t.tag = ?");
      bindings.push(query.tag);
    }
    if (query.status !== undefined) {
      where.push("w.status = ?");
      bindings.push(query.status);
    }
    if (query.after !== undefined) {
      // A row value comparison: strictly after the cursor in (created_at, id) descending order.
      where.push(`(${time}, ${id}) < (?, ?)`);
      bindings.push(...query.after);
    }
    const filter = where.length === 0 ? "" : `WHERE ${where.join(" AND ")}`;
    return this.#sql
      .exec(
        `SELECT ${COLUMNS} FROM ${from} ${filter} ORDER BY ${time} DESC, ${id} DESC LIMIT ?`,
        ...bindings,
        query.limit,
      )
      .toArray()
      .map(toRecord);
  }

  #addTags(record: WorkflowRecord): void {
    for (const tag of record.tags) {
      this.#sql.exec(
        "INSERT INTO workflow_tags (tag, created_at, workflow_id) VALUES (?, ?, ?)",
        tag,
        record.createdAt,
        record.id,
      );
    }
  }
}

function toColumns(record: WorkflowRecord): SqlStorageValue[] {
  return [
    record.id,
    record.name,
    record.description ?? null,
    record.status,
    record.priority,
    JSON.stringify(record.tags),
    record.userId ?? null,
    record.createdAt,
    record.updatedAt,
    record.createdBy,
  ];
}

/** A record as one comparable text, absent optional members as `null`. */
function registration(record: WorkflowRecord): string {
  return JSON.stringify(toColumns(record));
}

// Rows are only ever written from validated records, so the columns hold valid values.
function toRecord(row: Row): WorkflowRecord {
  const record: WorkflowRecord = {
    id: String(row.id),
    name: String(row.name),
    status: String(row.status) as WorkflowRecord["status"],
    priority: String(row.priority) as WorkflowRecord["priority"],
    tags: JSON.parse(String(row.tags)) as string[],
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    createdBy: String(row.created_by),
  };
  if (row.description !== null) record.description = String(row.description);
  if (row.user_id !== null) record.userId = String(row.user_id);
  return record;
}

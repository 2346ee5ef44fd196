/** What one registry shard holds: its records and its database's size. */
export interface ShardStorage {
  records: number;
  bytes: number;
}

/**
 * Measures a shard's storage.
 * @param sql the shard's SQL storage
 * @param table the table of its records (`workflows` or `agents`)
 * @returns the records in it and the SQLite database's size in bytes (every table and index)
 */
export function shardStorage(sql: SqlStorage, table: "workflows" | "agents"): ShardStorage {
  const row = sql.exec(`SELECT COUNT(*) AS n FROM ${table}`).one();
  return { records: Number(row.n), bytes: sql.databaseSize };
}

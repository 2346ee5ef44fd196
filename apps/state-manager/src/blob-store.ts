/** Characters per chunk: at most 4 bytes each in UTF-8, so a chunk stays under 1 MiB. */
export const CHUNK_CHARS = 256 * 1024;

/**
 * Large text values in SQLite, split into chunks because a Durable Object's SQLite row or
 * value is limited to about 2 MB.
 */
export class BlobStore {
  readonly #sql: SqlStorage;

  /** @param sql the Durable Object's SQL storage */
  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /**
   * Stores `text` under `owner`, replacing what was there.
   * @param owner the key, e.g. `v12/patch`
   * @param text the value
   */
  put(owner: string, text: string): void {
    this.delete(owner);
    for (let seq = 0, start = 0; start < text.length || seq === 0; seq++, start += CHUNK_CHARS) {
      this.#sql.exec(
        "INSERT INTO blobs (owner, seq, data) VALUES (?, ?, ?)",
        owner,
        seq,
        text.slice(start, start + CHUNK_CHARS),
      );
    }
  }

  /**
   * @param owner the key
   * @returns the stored text, or `undefined`
   */
  get(owner: string): string | undefined {
    const rows = this.#sql
      .exec<{ data: string }>("SELECT data FROM blobs WHERE owner = ? ORDER BY seq", owner)
      .toArray();
    if (rows.length === 0) return undefined;
    return rows.length === 1 ? rows[0]?.data : rows.map((row) => row.data).join("");
  }

  /** @param owner the key to remove */
  delete(owner: string): void {
    this.#sql.exec("DELETE FROM blobs WHERE owner = ?", owner);
  }
}

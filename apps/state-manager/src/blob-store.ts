/** Characters per chunk: at most 4 bytes each in UTF-8, so a chunk stays under 1 MiB. */
export const CHUNK_CHARS = 256 * 1024;
/** Bytes per chunk of a binary value. */
export const CHUNK_BYTES = 1024 * 1024;

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
   * @param value text, or bytes (stored as a BLOB)
   */
  put(owner: string, value: string | Uint8Array): void {
    this.delete(owner);
    this.add(owner, value);
  }

  /**
   * Stores a value under a key that is new (a new version's), skipping `put`'s delete.
   * @param owner the key, never used before
   * @param value text, or bytes (stored as a BLOB)
   */
  add(owner: string, value: string | Uint8Array): void {
    const size = typeof value === "string" ? CHUNK_CHARS : CHUNK_BYTES;
    const length = typeof value === "string" ? value.length : value.byteLength;
    for (let seq = 0, start = 0; start < length || seq === 0; seq++, start += size) {
      this.#sql.exec(
        "INSERT INTO blobs (owner, seq, data) VALUES (?, ?, ?)",
        owner,
        seq,
        typeof value === "string"
          ? value.slice(start, start + size)
          : value.subarray(start, start + size),
      );
    }
  }

  /**
   * @param owner the key
   * @returns the stored text, or `undefined`
   */
  get(owner: string): string | undefined {
    const value = this.read(owner);
    return typeof value === "string" ? value : undefined;
  }

  /**
   * @param owner the key
   * @returns the stored value as it was stored (text, or bytes), or `undefined`
   */
  read(owner: string): string | Uint8Array | undefined {
    const rows = this.#sql
      .exec<{ data: string | ArrayBuffer }>(
        "SELECT data FROM blobs WHERE owner = ? ORDER BY seq",
        owner,
      )
      .toArray();
    const first = rows[0]?.data;
    if (first === undefined || typeof first === "string") {
      return rows.length <= 1 ? first : rows.map((row) => row.data).join("");
    }
    const parts = rows.map((row) => new Uint8Array(row.data as ArrayBuffer));
    const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
    let offset = 0;
    for (const part of parts) {
      bytes.set(part, offset);
      offset += part.byteLength;
    }
    return bytes;
  }

  /** @param owner the key to remove */
  delete(owner: string): void {
    this.#sql.exec("DELETE FROM blobs WHERE owner = ?", owner);
  }
}

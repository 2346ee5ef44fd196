import { CONTEXT_VIEW_REVISION } from "@chorus/core";

/** What a view is kept under: its version and the query (the rules' revision is added). */
export interface ViewKey {
  version: number;
  budget: number;
  /** absent and `""` (the whole state) are different views */
  focus: string | undefined;
}

/** How much the store keeps before it drops its oldest views. */
export interface ViewLimits {
  /** the most views kept */
  views: number;
  /** the most bytes of views kept, all views together */
  bytes: number;
}

/** The store's default bounds: a few hundred views, 32 MiB. */
export const DEFAULT_VIEW_LIMITS: ViewLimits = { views: 256, bytes: 32 * 1024 * 1024 };

// A Durable Object SQLite row holds 2 MB at most; a view at the largest budget passes 1 MB.
const PART_BYTES = 64 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The Context Optimizer's views, kept as JSON text in SQLite (`context_views`, cut into
 * `context_view_parts`), so the same question is answered from storage. Views are immutable (a
 * version never changes), so none is ever stale; the store is bounded instead, dropping its
 * oldest views beyond {@link ViewLimits}. Each write is one transaction.
 */
export class ContextViewStore {
  readonly #storage: DurableObjectStorage;
  readonly #limits: ViewLimits;

  /**
   * @param storage the object's storage, migrated with `CONTEXT_OPTIMIZER_MIGRATIONS`
   * @param limits how much to keep
   */
  constructor(storage: DurableObjectStorage, limits: ViewLimits) {
    this.#storage = storage;
    this.#limits = limits;
  }

  /** @returns the view kept under `key`, as the JSON text it was kept as, or `undefined` */
  get(key: ViewKey): string | undefined {
    const sql = this.#storage.sql;
    const row = sql.exec("SELECT seq FROM context_views WHERE key = ?", keyText(key)).toArray()[0];
    if (row === undefined) return undefined;
    const parts = sql
      .exec("SELECT data FROM context_view_parts WHERE seq = ? ORDER BY part", row.seq)
      .toArray()
      .map((part) => new Uint8Array(part.data as ArrayBuffer));
    // Parts are cut at byte offsets, not characters: joined before decoding.
    const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
    let offset = 0;
    for (const part of parts) {
      bytes.set(part, offset);
      offset += part.byteLength;
    }
    return decoder.decode(bytes);
  }

  /**
   * Keeps a view under `key` (a key already kept is left as it is: the view is the same), then
   * drops the oldest views beyond the limits. A view larger than all the store may hold is not kept.
   * @param key what it was made from
   * @param text the view as JSON text
   */
  put(key: ViewKey, text: string): void {
    const bytes = encoder.encode(text);
    if (bytes.byteLength > this.#limits.bytes) return;
    this.#storage.transactionSync(() => {
      const sql = this.#storage.sql;
      const inserted = sql
        .exec(
          "INSERT INTO context_views (key, version, bytes) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING RETURNING seq",
          keyText(key),
          key.version,
          bytes.byteLength,
        )
        .toArray()[0];
      if (inserted === undefined) return;
      for (let part = 0; part * PART_BYTES < bytes.byteLength; part++) {
        // A copy, so the part binds as an ArrayBuffer of its own bytes.
        const data = bytes.slice(part * PART_BYTES, (part + 1) * PART_BYTES).buffer;
        sql.exec(
          "INSERT INTO context_view_parts (seq, part, data) VALUES (?, ?, ?)",
          inserted.seq,
          part,
          data,
        );
      }
      this.#evict();
    });
  }

  /** @returns how many views it keeps and their bytes */
  size(): { views: number; bytes: number } {
    const row = this.#storage.sql
      .exec("SELECT count(*) AS views, coalesce(sum(bytes), 0) AS bytes FROM context_views")
      .one();
    return { views: Number(row.views), bytes: Number(row.bytes) };
  }

  #evict(): void {
    const sql = this.#storage.sql;
    let { views, bytes } = this.size();
    while (views > this.#limits.views || bytes > this.#limits.bytes) {
      const oldest = sql.exec("SELECT seq, bytes FROM context_views ORDER BY seq LIMIT 1").one();
      sql.exec("DELETE FROM context_view_parts WHERE seq = ?", oldest.seq);
      sql.exec("DELETE FROM context_views WHERE seq = ?", oldest.seq);
      views -= 1;
      bytes -= Number(oldest.bytes);
    }
  }
}

function keyText(key: ViewKey): string {
  return JSON.stringify([CONTEXT_VIEW_REVISION, key.version, key.budget, key.focus ?? null]);
}

/**
 * The store's bounds: {@link DEFAULT_VIEW_LIMITS}, with `CONTEXT_VIEWS_MAX` (optional, a whole
 * number) in place of the number of views.
 * @param env the worker's bindings
 * @returns the limits
 */
export function viewLimits(env: object): ViewLimits {
  const raw = (env as Record<string, unknown>).CONTEXT_VIEWS_MAX;
  const views = Number(raw);
  return raw !== undefined && Number.isSafeInteger(views) && views > 0
    ? { ...DEFAULT_VIEW_LIMITS, views }
    : DEFAULT_VIEW_LIMITS;
}

import {
  CanonicalCache,
  ChorusError,
  CommitOrigin,
  type DeltaEntry,
  type JsonPatch,
  type JsonValue,
  reconstructAsync,
  type StateVersion,
} from "@chorus/core";
import * as v from "valibot";
import type { BlobStore } from "./blob-store.ts";
import { gunzipText, gzip } from "./gzip.ts";
import { Utf8Scratch } from "./utf8-scratch.ts";

/** One row of the `versions` table, decoded. */
export interface VersionRow {
  version: number;
  branch: string;
  parents: number[];
  timestamp: number;
  author: string;
  description: string;
  checksum: string;
  stateBytes: number;
  storedBytes: number;
  keyframe: boolean;
  chain: number;
  origin: CommitOrigin;
  archived: boolean;
}

type RawRow = Record<string, SqlStorageValue>;

function decode(raw: RawRow): VersionRow {
  return {
    version: Number(raw.version),
    branch: String(raw.branch),
    parents: JSON.parse(String(raw.parents)) as number[],
    timestamp: Number(raw.timestamp),
    author: String(raw.author),
    description: String(raw.description),
    checksum: String(raw.checksum),
    stateBytes: Number(raw.state_bytes),
    storedBytes: Number(raw.stored_bytes),
    keyframe: raw.keyframe === 1,
    chain: Number(raw.chain),
    origin: originOf(raw.origin),
    archived: raw.archived === 1,
  };
}

function originOf(raw: SqlStorageValue | undefined): CommitOrigin {
  if (v.is(CommitOrigin, raw)) return raw;
  // Every writer passes a CommitOrigin, so anything else was not written by this code.
  throw new ChorusError("INTEGRITY_FAILED", `a version row has an unknown origin: ${String(raw)}`);
}

/** Blob keys of a version's stored patch and keyframe. */
export const blobKey = {
  patch: (version: number) => `v${version}/patch`,
  state: (version: number) => `v${version}/state`,
};

/** Reads archived blobs back (from R2) when a chain reaches below what SQLite still holds. */
export type ArchiveReader = (version: number) => Promise<{ patch?: string; state?: string }>;

/**
 * A state as a keyframe is stored: its canonical text's UTF-8, gzipped (about a tenth of the
 * text). {@link VersionStore.keyframeText} reads it back.
 * @param canonicalBytes the UTF-8 of the state's canonical JSON text
 * @returns the bytes to store
 */
export function encodeKeyframe(canonicalBytes: Uint8Array): Promise<Uint8Array> {
  return gzip(canonicalBytes);
}

/** How many reconstructed states stay in memory: the heads plus recent reads. */
const CACHE_SIZE = 8;
/** How many version rows stay in memory: every commit reads its head's and its base's. */
const ROW_CACHE_SIZE = 256;

/** A state in memory, with its canonical text once something needed it. */
interface CachedState {
  state: JsonValue;
  text?: string;
}

/** Moves `key` to the newest end of an insertion-ordered map, dropping the oldest past `size`. */
function touch<K, V>(map: Map<K, V>, key: K, value: V, size: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > size) {
    const oldest = map.keys().next().value as K;
    map.delete(oldest);
  }
}

/**
 * The version rows and their content: each version stores a patch against its first parent,
 * and every `keyframeInterval` versions along a chain a full state, so reading any version
 * applies at most that many patches.
 */
export class VersionStore {
  /**
   * Canonical text of committed states, remembered per object: a new version shares its
   * untouched subtrees with its parent, so its checksum costs what changed, not the whole state.
   */
  readonly canonical = new CanonicalCache();
  /** Where a write encodes its state's canonical text: one buffer per object, reused. */
  readonly utf8 = new Utf8Scratch();
  readonly #sql: SqlStorage;
  readonly #blobs: BlobStore;
  readonly #cache = new Map<number, CachedState>();
  // Rows never change once written, except by the archiver, which calls `forget()`.
  readonly #rows = new Map<number, VersionRow>();
  #latest: number | undefined;
  #readArchive: ArchiveReader | undefined;

  /**
   * @param sql the Durable Object's SQL storage
   * @param blobs chunked storage for patches and keyframes
   */
  constructor(sql: SqlStorage, blobs: BlobStore) {
    this.#sql = sql;
    this.#blobs = blobs;
  }

  /** @param reader how to fetch blobs of archived versions */
  setArchiveReader(reader: ArchiveReader): void {
    this.#readArchive = reader;
  }

  /**
   * @param version a version number
   * @returns its row, or `undefined`
   */
  row(version: number): VersionRow | undefined {
    const cached = this.#rows.get(version);
    if (cached !== undefined) return cached;
    const raw = this.#sql
      .exec<RawRow>("SELECT * FROM versions WHERE version = ?", version)
      .toArray()[0];
    if (raw === undefined) return undefined;
    const row = decode(raw);
    touch(this.#rows, version, row, ROW_CACHE_SIZE);
    return row;
  }

  /**
   * @param version a version number
   * @returns its row
   * @throws ChorusError `NOT_FOUND`
   */
  require(version: number): VersionRow {
    const row = this.row(version);
    if (row === undefined) {
      throw new ChorusError("NOT_FOUND", `version ${version} does not exist`, { path: "/version" });
    }
    return row;
  }

  /** @returns the highest version number, 0 when there is none */
  latest(): number {
    this.#latest ??= Number(
      this.#sql.exec("SELECT COALESCE(MAX(version), 0) AS v FROM versions").one().v,
    );
    return this.#latest;
  }

  /**
   * Drops the remembered rows (and the latest version number), after something rewrote rows in
   * SQLite (the archiver) or a transaction that wrote some rolled back.
   */
  forget(): void {
    this.#rows.clear();
    this.#latest = undefined;
  }

  /**
   * @param query SQL after `SELECT * FROM versions`
   * @param bindings its parameters
   * @returns the decoded rows
   */
  select(query: string, ...bindings: SqlStorageValue[]): VersionRow[] {
    return this.#sql
      .exec<RawRow>(`SELECT * FROM versions ${query}`, ...bindings)
      .toArray()
      .map(decode);
  }

  /**
   * Writes a new version. The caller wraps this in the transaction that also moves the branch,
   * and calls {@link VersionStore.remember} only once that transaction has committed.
   * @param row the metadata
   * @param patchText the change against the first parent, as JSON
   * @param keyframe the full state's canonical text, gzipped, stored when `row.keyframe`
   */
  insert(row: VersionRow, patchText: string, keyframe: Uint8Array | undefined): void {
    this.#sql.exec(
      `INSERT INTO versions (version, branch, parents, timestamp, author, description, checksum,
         state_bytes, stored_bytes, keyframe, chain, origin, archived)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
      row.version,
      row.branch,
      JSON.stringify(row.parents),
      row.timestamp,
      row.author,
      row.description,
      row.checksum,
      row.stateBytes,
      row.storedBytes,
      row.keyframe ? 1 : 0,
      row.chain,
      row.origin,
    );
    this.#blobs.add(blobKey.patch(row.version), patchText);
    if (keyframe !== undefined) this.#blobs.add(blobKey.state(row.version), keyframe);
  }

  /**
   * Keeps a state in the small in-memory cache (and a newly written version's row).
   * @param version its version
   * @param state the state
   * @param known its row, when it was just written, and its canonical text, when computed
   */
  remember(
    version: number,
    state: JsonValue,
    known: { row?: VersionRow; text?: string } = {},
  ): void {
    if (known.text !== undefined) this.#dropTextsBut(version);
    touch(
      this.#cache,
      version,
      { state, ...(known.text === undefined ? {} : { text: known.text }) },
      CACHE_SIZE,
    );
    if (known.row !== undefined) {
      touch(this.#rows, version, known.row, ROW_CACHE_SIZE);
      this.#latest = Math.max(this.latest(), version);
    }
  }

  /**
   * @param version a version number
   * @returns the patch stored against its first parent
   */
  async patchOf(version: number): Promise<JsonPatch> {
    const row = this.require(version);
    const text = row.archived
      ? (await this.#archived(version)).patch
      : this.#blobs.get(blobKey.patch(version));
    if (text === undefined) {
      throw new ChorusError("INTEGRITY_FAILED", `the patch of version ${version} is missing`);
    }
    return JSON.parse(text) as JsonPatch;
  }

  /**
   * Reconstructs a version with core's delta codec: the chain of first-parent patches back to
   * the nearest keyframe, where a state still in the cache counts as a keyframe.
   * @param version a version number
   * @returns the full state
   */
  async stateAt(version: number): Promise<JsonValue> {
    const cached = this.#cache.get(version);
    if (cached !== undefined) return cached.state;
    const state = await reconstructAsync(version, (number) => this.#entry(number));
    this.remember(version, state);
    return state;
  }

  /**
   * @param version a version number
   * @returns its state as canonical JSON text: what its checksum is the SHA-256 of, and what a
   *   reader can pass on without parsing or serializing it again
   */
  async textAt(version: number): Promise<string> {
    const state = await this.stateAt(version);
    const cached = this.#cache.get(version);
    if (cached?.text !== undefined) return cached.text;
    const text = this.canonical.text(state);
    this.#dropTextsBut(version);
    if (cached !== undefined) cached.text = text;
    return text;
  }

  // At most two whole-state texts in memory, each as large as the state: the newest version's,
  // which most reads want, and the one just written or read. An old read must not cost the
  // next head read a rebuild; rebuilding any other from the canonical cache costs a join.
  #dropTextsBut(keep: number): void {
    const newest = this.#latest;
    for (const [version, entry] of this.#cache) {
      if (version !== keep && version !== newest) delete entry.text;
    }
  }

  /**
   * @param version a keyframe version that is still in SQLite
   * @returns its stored state as JSON text (for the archiver)
   */
  async keyframeText(version: number): Promise<string | undefined> {
    const stored = this.#blobs.read(blobKey.state(version));
    return stored === undefined || typeof stored === "string" ? stored : gunzipText(stored);
  }

  /**
   * @param version a version number
   * @returns how the codec sees it: a keyframe (stored or cached) or a patch from its first parent
   */
  async #entry(version: number): Promise<DeltaEntry | undefined> {
    const cached = this.#cache.get(version);
    if (cached !== undefined) return { version, kind: "keyframe", state: cached.state };
    const row = this.row(version);
    if (row === undefined) return undefined;
    const parent = row.parents[0];
    if (row.keyframe || parent === undefined)
      return { version, kind: "keyframe", state: await this.#keyframe(row) };
    return {
      version,
      kind: "patch",
      base: parent,
      chain: Math.max(row.chain, 1),
      patch: await this.patchOf(version),
    };
  }

  /**
   * @param version a version number
   * @returns the codec entry of its chain position, for deciding how to store a child
   */
  entryMeta(version: number): DeltaEntry {
    const row = this.require(version);
    const parent = row.parents[0];
    return row.keyframe || parent === undefined
      ? { version, kind: "keyframe", state: null }
      : { version, kind: "patch", base: parent, chain: Math.max(row.chain, 1), patch: [] };
  }

  async #keyframe(row: VersionRow): Promise<JsonValue> {
    // Keyframes are stored gzipped (encodeKeyframe); ones stored before that as text.
    const text = row.archived
      ? (await this.#archived(row.version)).state
      : await this.keyframeText(row.version);
    if (text === undefined) {
      throw new ChorusError(
        "INTEGRITY_FAILED",
        `the keyframe of version ${row.version} is missing`,
      );
    }
    return JSON.parse(text) as JsonValue;
  }

  async #archived(version: number): Promise<{ patch?: string; state?: string }> {
    if (this.#readArchive === undefined) {
      throw new ChorusError("INTERNAL", `version ${version} is archived and no archive is bound`);
    }
    return this.#readArchive(version);
  }

  /**
   * @param row a version row
   * @param workflowId the workflow it belongs to
   * @returns its public metadata
   */
  static toStateVersion(row: VersionRow, workflowId: string): StateVersion {
    return {
      id: versionId(workflowId, row.version),
      workflowId,
      version: row.version,
      branch: row.branch,
      parents: row.parents.map((parent) => versionId(workflowId, parent)),
      timestamp: row.timestamp,
      author: row.author,
      changeDescription: row.description,
      checksum: row.checksum,
    };
  }
}

/**
 * @param workflowId a workflow
 * @param version one of its versions
 * @returns the version's id, unique across workflows
 */
export function versionId(workflowId: string, version: number): string {
  return `${workflowId}@${version}`;
}

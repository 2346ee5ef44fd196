import { ChorusError, mergeBase, sha256HexOfBytes } from "@chorus/core";
import { type ArchivedVersion, decodeChunkText, encodeChunk } from "./archive-codec.ts";
import { blobKey, encodeKeyframe, type VersionRow } from "./version-store.ts";
import type { WorkflowContext } from "./workflow-context.ts";

/** Uncompressed characters per archive chunk: big enough to be few, small enough to fetch fast. */
const CHUNK_TARGET_CHARS = 4 * 1024 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Runs a step with the workflow's writes held (the StateManager's write queue). */
export type Exclusive = <T>(step: () => Promise<T>) => Promise<T>;

/** What one archive run moves, decided with the writes held. */
interface ArchivePlan {
  chosen: VersionRow[];
  rekey: Array<{ row: VersionRow; keyframe: Uint8Array }>;
  compress: boolean;
}

interface ChunkRow {
  key: string;
  versions: number[];
  sha256: string;
  compressed: boolean;
}

/**
 * Moves old versions out of SQLite into R2 (gzip chunks plus a manifest) by the workflow's
 * archive policy, and reads them back transparently, checking each chunk's SHA-256.
 */
export class Archiver {
  readonly #ctx: WorkflowContext;
  readonly #sql: SqlStorage;
  readonly #bucket: R2Bucket | undefined;
  readonly #chunks = new Map<string, Map<number, ArchivedVersion>>();

  /**
   * @param ctx the workflow
   * @param sql its SQL storage
   * @param bucket the R2 bucket, when one is bound
   */
  constructor(ctx: WorkflowContext, sql: SqlStorage, bucket: R2Bucket | undefined) {
    this.#ctx = ctx;
    this.#sql = sql;
    this.#bucket = bucket;
  }

  /**
   * Versions the policy would archive but must keep: branch heads and their merge-bases with
   * `main`, snapshots, and every version an open conflict still needs.
   * @returns the pinned version numbers
   */
  pinned(): Set<number> {
    const { branches, versions } = this.#ctx;
    const pins = new Set<number>([
      ...this.#ctx.snapshots.versions(),
      ...this.#ctx.conflicts.pinnedVersions(),
    ]);
    const main = branches.head("main");
    const node = (id: string) => {
      const row = versions.row(Number(id));
      return row === undefined
        ? undefined
        : { id, version: row.version, parents: row.parents.map(String), checksum: row.checksum };
    };
    for (const branch of branches.list()) {
      pins.add(branch.head);
      if (main !== undefined && branch.name !== "main") {
        const base = mergeBase(node, String(branch.head), String(main));
        if (base !== undefined) pins.add(Number(base));
      }
    }
    return pins;
  }

  /**
   * Applies the archive policy once. Only choosing the versions and marking them archived hold
   * the workflow's writes (`exclusive`); reading and gzipping them and the R2 uploads do not:
   * old versions never change, so commits go on while the archive is written.
   * @param exclusive runs a step with the workflow's writes held
   * @returns how many versions moved to R2
   */
  async run(exclusive: Exclusive): Promise<{ archived: number; chunks: number }> {
    const plan = await exclusive(() => this.#plan());
    if (plan === undefined) return { archived: 0, chunks: 0 };
    const written = await this.#upload(plan.chosen, plan.compress);
    const archived = await exclusive(async () => this.#apply(plan, written));
    await this.#writeManifest();
    return { archived, chunks: written.length };
  }

  async #plan(): Promise<ArchivePlan | undefined> {
    const policy = this.#ctx.settings().archivePolicy;
    if (!policy.r2ArchiveEnabled || this.#bucket === undefined) return undefined;
    const live = this.#ctx.versions.select("WHERE archived = 0 ORDER BY version");
    const pinned = this.pinned();
    const cutoff = this.#ctx.now() - policy.archiveAfterDays * DAY_MS;
    const overflow = live.length - policy.maxVersionsPerWorkflow;
    const chosen = live.filter(
      (row, index) => (index < overflow || row.timestamp < cutoff) && !pinned.has(row.version),
    );
    if (chosen.length === 0) return undefined;
    const leaving = new Set(chosen.map((row) => row.version));

    // A kept version whose patch chain runs into the archive becomes a keyframe, so reading
    // what stays in SQLite never needs R2.
    const rekey: ArchivePlan["rekey"] = [];
    for (const row of live) {
      const parent = row.parents[0];
      if (leaving.has(row.version) || row.keyframe || parent === undefined) continue;
      if (leaving.has(parent) || this.#ctx.versions.row(parent)?.archived) {
        const state = await this.#ctx.versions.stateAt(row.version);
        const text = this.#ctx.versions.canonical.text(state);
        rekey.push({ row, keyframe: await encodeKeyframe(new TextEncoder().encode(text)) });
      }
    }
    return { chosen, rekey, compress: policy.compressionEnabled };
  }

  /** Marks what was uploaded as archived, except what a write pinned meanwhile. */
  #apply(plan: ArchivePlan, written: Array<ChunkRow & { bytes: number }>): number {
    // A branch, snapshot or conflict created during the upload may need a chosen version: it
    // stays in SQLite (its copy in R2 is harmless). A re-keyed version stays a valid keyframe.
    const pinned = this.pinned();
    const chosen = plan.chosen.filter((row) => !pinned.has(row.version));
    this.#ctx.transaction(() => {
      for (const chunk of written) {
        this.#sql.exec(
          `INSERT INTO archive_chunks (key, first_version, last_version, versions, sha256, bytes, compressed, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          chunk.key,
          Math.min(...chunk.versions),
          Math.max(...chunk.versions),
          JSON.stringify(chunk.versions),
          chunk.sha256,
          chunk.bytes,
          chunk.compressed ? 1 : 0,
          this.#ctx.now(),
        );
      }
      for (const row of chosen) {
        this.#sql.exec("UPDATE versions SET archived = 1 WHERE version = ?", row.version);
        this.#ctx.blobs.delete(blobKey.patch(row.version));
        this.#ctx.blobs.delete(blobKey.state(row.version));
      }
      for (const { row, keyframe } of plan.rekey) {
        this.#ctx.blobs.put(blobKey.state(row.version), keyframe);
        this.#sql.exec(
          "UPDATE versions SET keyframe = 1, chain = 0 WHERE version = ?",
          row.version,
        );
      }
      this.#ctx.counters.add("versionsArchived", chosen.length);
      this.#ctx.audit.append({
        at: this.#ctx.now(),
        actor: "system",
        action: "versions.archived",
        version: null,
        detail: {
          versions: chosen.map((row) => row.version),
          chunks: written.map((chunk) => chunk.key),
        },
      });
    });
    // Rows changed under the version store's cache: archived, or turned into keyframes.
    this.#ctx.versions.forget();
    return chosen.length;
  }

  async #upload(
    rows: VersionRow[],
    compress: boolean,
  ): Promise<Array<ChunkRow & { bytes: number }>> {
    const bucket = this.#bucket;
    if (bucket === undefined) return [];
    const groups: ArchivedVersion[][] = [[]];
    let size = 0;
    for (const row of rows) {
      const patch = this.#ctx.blobs.get(blobKey.patch(row.version)) ?? "[]";
      const state = row.keyframe ? await this.#ctx.versions.keyframeText(row.version) : undefined;
      const item: ArchivedVersion =
        state === undefined
          ? { version: row.version, patch }
          : { version: row.version, patch, state };
      const itemSize = patch.length + (state?.length ?? 0);
      if (size > 0 && size + itemSize > CHUNK_TARGET_CHARS) {
        groups.push([]);
        size = 0;
      }
      groups.at(-1)?.push(item);
      size += itemSize;
    }
    const written: Array<ChunkRow & { bytes: number }> = [];
    for (const group of groups) {
      const bytes = await encodeChunk(group, compress);
      const sha256 = await sha256HexOfBytes(bytes);
      const versions = group.map((item) => item.version);
      const key = `${this.#ctx.workflowId()}/archive/${versions[0]}-${versions.at(-1)}-${sha256.slice(0, 12)}.json${compress ? ".gz" : ""}`;
      // R2 custom metadata is limited to 2 KB: the version list lives in the manifest and SQLite.
      await bucket.put(key, bytes, {
        customMetadata: {
          sha256,
          firstVersion: String(versions[0]),
          lastVersion: String(versions.at(-1)),
          count: String(versions.length),
        },
      });
      written.push({ key, versions, sha256, compressed: compress, bytes: bytes.length });
    }
    return written;
  }

  async #writeManifest(): Promise<void> {
    const chunks = this.#sql
      .exec(
        "SELECT key, versions, sha256, bytes, compressed, created_at FROM archive_chunks ORDER BY first_version",
      )
      .toArray()
      .map((raw) => ({
        key: String(raw.key),
        versions: JSON.parse(String(raw.versions)) as number[],
        sha256: String(raw.sha256),
        bytes: Number(raw.bytes),
        compressed: raw.compressed === 1,
        createdAt: Number(raw.created_at),
      }));
    await this.#bucket?.put(
      `${this.#ctx.workflowId()}/archive/manifest.json`,
      JSON.stringify({ workflowId: this.#ctx.workflowId(), chunks }, null, 2),
      { httpMetadata: { contentType: "application/json" } },
    );
  }

  /**
   * Reads an archived version's blobs back from R2, verifying the chunk's checksum.
   * @param version an archived version
   * @returns its patch and, for a keyframe, its state
   * @throws ChorusError `INTEGRITY_FAILED` when the chunk is missing or does not match its checksum
   */
  async read(version: number): Promise<{ patch?: string; state?: string }> {
    const chunk = this.#chunkOf(version);
    let items = this.#chunks.get(chunk.key);
    if (items === undefined) {
      const object = await this.#bucket?.get(chunk.key);
      if (object === undefined || object === null) {
        throw new ChorusError("INTEGRITY_FAILED", `archive chunk ${chunk.key} is missing from R2`);
      }
      const bytes = await object.arrayBuffer();
      if ((await sha256HexOfBytes(new Uint8Array(bytes))) !== chunk.sha256) {
        throw new ChorusError(
          "INTEGRITY_FAILED",
          `archive chunk ${chunk.key} does not match its SHA-256`,
        );
      }
      const parsed = JSON.parse(await decodeChunkText(bytes, chunk.compressed)) as {
        versions: ArchivedVersion[];
      };
      items = new Map(parsed.versions.map((item) => [item.version, item]));
      this.#chunks.clear();
      this.#chunks.set(chunk.key, items);
    }
    const item = items.get(version);
    if (item === undefined)
      throw new ChorusError("INTEGRITY_FAILED", `version ${version} is missing from ${chunk.key}`);
    return item.state === undefined
      ? { patch: item.patch }
      : { patch: item.patch, state: item.state };
  }

  #chunkOf(version: number): ChunkRow {
    const rows = this.#sql
      .exec(
        "SELECT key, versions, sha256, compressed FROM archive_chunks WHERE first_version <= ? AND last_version >= ?",
        version,
        version,
      )
      .toArray();
    for (const raw of rows) {
      const versions = JSON.parse(String(raw.versions)) as number[];
      if (versions.includes(version)) {
        return {
          key: String(raw.key),
          versions,
          sha256: String(raw.sha256),
          compressed: raw.compressed === 1,
        };
      }
    }
    throw new ChorusError("INTEGRITY_FAILED", `no archive chunk holds version ${version}`);
  }
}

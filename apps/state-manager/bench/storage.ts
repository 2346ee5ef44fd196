import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { type BenchWorkflow, KEYFRAME_INTERVAL } from "./workflow.ts";

/** What small-change versions cost to store. */
export interface StorageCost {
  /** versions in the measured window: whole keyframe cycles */
  versions: number;
  /** metrics().storedBytes per version over the window: patches plus amortized keyframes */
  perVersion: number;
  /** what a full copy per version would take: the state's JSON size */
  fullCopy: number;
  /** the state's JSON gzipped (what a CompressionStream keyframe would take) */
  gzippedCopy: number;
}

/**
 * Commits small `patch` changes over exactly two keyframe cycles, starting right after a
 * keyframe boundary, and reads `storedBytes` and `versionsCreated` from `metrics()` around them.
 * @param wf the workflow
 * @returns bytes per version against a full copy
 */
export async function storageCost(wf: BenchWorkflow): Promise<StorageCost> {
  // Keyframes are versions 1, 33, 65, …: stop where the next version is one.
  while (wf.head % KEYFRAME_INTERVAL !== 0) await wf.time(wf.prepare("commitPatch"));
  const before = await wf.metrics();
  for (let i = 0; i < 2 * KEYFRAME_INTERVAL; i++) await wf.time(wf.prepare("commitPatch"));
  const after = await wf.metrics();
  const versions = after.versionsCreated - before.versionsCreated;
  return {
    versions,
    perVersion: (after.storedBytes - before.storedBytes) / versions,
    fullCopy: wf.stateBytes,
    gzippedCopy: gzipSync(JSON.stringify(wf.state)).length,
  };
}

/**
 * @param dir Miniflare's Durable Object persistence directory
 * @returns every SQLite database file under it (without `-wal`/`-shm`)
 */
export async function sqliteFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(".sqlite"))
      found.push(join(entry.parentPath, entry.name));
  }
  return found;
}

/**
 * @param file a SQLite database
 * @returns its size with its write-ahead log
 */
export async function sqliteBytes(file: string): Promise<number> {
  let total = 0;
  for (const suffix of ["", "-wal"]) {
    total += await stat(`${file}${suffix}`).then(
      (s) => s.size,
      () => 0,
    );
  }
  return total;
}

import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

/** The test change consumer's directory: its wrangler.jsonc and source. */
export const CONSUMER_DIR = path.join(import.meta.dirname, "fixtures", "change-consumer");

/** Where globalSetup writes the consumer's bundle (under .wrangler/, which git ignores). */
export const CONSUMER_BUNDLE = path.join(
  import.meta.dirname,
  "..",
  ".wrangler",
  "test-build",
  "change-consumer",
  "index.js",
);

/**
 * Builds the test change consumer with `wrangler deploy --dry-run --outdir` (auxiliary workers
 * cannot bundle TypeScript themselves); runs in Node before any test. Two projects use it, so
 * each builds into a directory of its own and renames the bundle into place: a project never
 * reads a bundle the other is half way through writing.
 */
export default async function buildChangeConsumer(): Promise<void> {
  const wrangler = path.join(import.meta.dirname, "..", "node_modules", ".bin", "wrangler");
  const parent = path.dirname(path.dirname(CONSUMER_BUNDLE));
  await mkdir(path.dirname(CONSUMER_BUNDLE), { recursive: true });
  const outdir = await mkdtemp(path.join(parent, "change-consumer-"));
  try {
    await promisify(execFile)(wrangler, ["deploy", "--dry-run", "--outdir", outdir], {
      cwd: CONSUMER_DIR,
    });
    await rename(path.join(outdir, "index.js"), CONSUMER_BUNDLE);
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}

import { execFile } from "node:child_process";
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
 * cannot bundle TypeScript themselves); runs in Node before any test.
 */
export default async function buildChangeConsumer(): Promise<void> {
  const wrangler = path.join(import.meta.dirname, "..", "node_modules", ".bin", "wrangler");
  await promisify(execFile)(
    wrangler,
    ["deploy", "--dry-run", "--outdir", path.dirname(CONSUMER_BUNDLE)],
    { cwd: CONSUMER_DIR },
  );
}

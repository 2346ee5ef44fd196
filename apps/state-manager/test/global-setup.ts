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

/** The build in flight, shared by the projects of one run (each runs this globalSetup). */
const BUILD = Symbol.for("chorus.state-manager.change-consumer-build");

/**
 * Builds the test change consumer with `wrangler deploy --dry-run --outdir` (auxiliary workers
 * cannot bundle TypeScript themselves); runs in Node before any test. Two projects name it, and
 * vitest runs both setups in its one process: they share one build, so neither reads a bundle
 * the other is half way through writing.
 */
export default function buildChangeConsumer(): Promise<void> {
  const shared = globalThis as { [BUILD]?: Promise<void> };
  shared[BUILD] ??= build();
  return shared[BUILD];
}

async function build(): Promise<void> {
  const wrangler = path.join(import.meta.dirname, "..", "node_modules", ".bin", "wrangler");
  await promisify(execFile)(
    wrangler,
    ["deploy", "--dry-run", "--outdir", path.dirname(CONSUMER_BUNDLE)],
    { cwd: CONSUMER_DIR },
  );
}

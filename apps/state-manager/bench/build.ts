import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const app = new URL("..", import.meta.url).pathname;

/** Where a bundled worker landed. */
export interface Bundle {
  /** the directory holding `index.js` */
  dir: string;
  script: string;
}

/**
 * Bundles a worker exactly as a deploy would, with `wrangler deploy --dry-run --outdir`.
 * @param config the worker's wrangler config, relative to the app
 * @returns the bundle's location
 */
export async function bundle(config: string): Promise<Bundle> {
  const dir = await mkdtemp(join(tmpdir(), "chorus-bench-"));
  await run(
    join(app, "node_modules/.bin/wrangler"),
    ["deploy", "--dry-run", "--outdir", dir, "-c", config],
    { cwd: app, env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
  );
  return { dir, script: join(dir, "index.js") };
}

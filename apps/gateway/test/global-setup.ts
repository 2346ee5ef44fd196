import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

/** The Chorus workers the gateway calls, loaded into the tests as auxiliary workers. */
export const AUXILIARY = ["state-manager", "coordinator"] as const;

/** Where globalSetup writes an app's bundle (under .wrangler/, which git ignores). */
export function bundlePath(app: string): string {
  return path.join(import.meta.dirname, "..", ".wrangler", "test-build", app, "index.js");
}

/**
 * Builds each auxiliary worker with `wrangler deploy --dry-run --outdir`, so the tests run the
 * real bundle that `wrangler deploy` would upload (runs in Node before any test).
 */
export default function buildAuxiliaryWorkers(): void {
  for (const app of AUXILIARY) {
    const cwd = path.join(import.meta.dirname, "..", "..", app);
    if (!existsSync(path.join(cwd, "wrangler.jsonc"))) {
      throw new Error(`apps/${app}/wrangler.jsonc is missing: the gateway tests need that worker`);
    }
    execFileSync(
      "npx",
      ["wrangler", "deploy", "--dry-run", "--outdir", path.dirname(bundlePath(app))],
      { cwd, stdio: ["ignore", "ignore", "inherit"] },
    );
  }
}

import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

/** The Chorus workers the gateway calls, loaded into the tests as auxiliary workers. */
export const AUXILIARY = ["state-manager", "coordinator", "agents"] as const;

/** Where globalSetup writes an app's bundle (under .wrangler/, which git ignores). */
export function bundlePath(app: string): string {
  return path.join(import.meta.dirname, "..", ".wrangler", "test-build", app, "index.js");
}

/**
 * Builds each auxiliary worker with `wrangler deploy --dry-run --outdir`, in parallel, so the
 * tests run the bundle `wrangler deploy` would upload (runs in Node before any test).
 */
export default async function buildAuxiliaryWorkers(): Promise<void> {
  await Promise.all(
    AUXILIARY.map(async (app) => {
      const cwd = path.join(import.meta.dirname, "..", "..", app);
      if (!existsSync(path.join(cwd, "wrangler.jsonc"))) {
        throw new Error(
          `apps/${app}/wrangler.jsonc is missing: the gateway tests need that worker`,
        );
      }
      const outdir = path.dirname(bundlePath(app));
      await promisify(execFile)("npx", ["wrangler", "deploy", "--dry-run", "--outdir", outdir], {
        cwd,
      });
    }),
  );
}

import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

/** The Chorus workers the agents call, loaded into the tests as auxiliary workers. */
export const AUXILIARY = ["state-manager", "coordinator"] as const;

/** The directory of the agents worker as the tests bundle it (src plus the test agent). */
export const AGENTS_FIXTURE = path.join(import.meta.dirname, "fixtures", "agents-worker");

/** The test webhook receiver's directory. */
export const RECEIVER_FIXTURE = path.join(import.meta.dirname, "fixtures", "webhook-receiver");

/** Where globalSetup writes a bundle (under .wrangler/, which git ignores). */
export function bundlePath(app: string): string {
  return path.join(import.meta.dirname, "..", ".wrangler", "test-build", app, "index.js");
}

/**
 * Builds each auxiliary worker, and the agents worker itself, with `wrangler deploy --dry-run
 * --outdir`, in parallel, so the tests run the bundles `wrangler deploy` would upload (runs in
 * Node before any test).
 */
export default async function buildWorkers(): Promise<void> {
  const wrangler = path.join(import.meta.dirname, "..", "node_modules", ".bin", "wrangler");
  const builds = [
    ...AUXILIARY.map((app) => ({ app, cwd: path.join(import.meta.dirname, "..", "..", app) })),
    { app: "agents", cwd: AGENTS_FIXTURE },
    { app: "webhook-receiver", cwd: RECEIVER_FIXTURE },
  ];
  await Promise.all(
    builds.map(async ({ app, cwd }) => {
      if (!existsSync(path.join(cwd, "wrangler.jsonc"))) {
        throw new Error(`${cwd}/wrangler.jsonc is missing: the agents tests need that worker`);
      }
      const outdir = path.dirname(bundlePath(app));
      await promisify(execFile)(wrangler, ["deploy", "--dry-run", "--outdir", outdir], { cwd });
    }),
  );
}

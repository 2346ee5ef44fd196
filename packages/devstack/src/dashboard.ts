import { spawn } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "./apps.ts";

/** Where the dashboard's package lives; its `dist/` is the gateway's assets directory. */
export const DASHBOARD_DIR = join(REPO_ROOT, "apps", "dashboard");

/**
 * Builds the dashboard page into `apps/dashboard/dist` (esbuild, well under a second), which the
 * gateway serves at `/` as static assets: its wrangler.jsonc names that directory.
 * @param signal aborts the build
 */
export async function buildDashboard(signal?: AbortSignal): Promise<void> {
  const child = spawn(process.execPath, ["scripts/build.mjs"], {
    cwd: DASHBOARD_DIR,
    stdio: ["ignore", "pipe", "pipe"],
    ...(signal === undefined ? {} : { signal }),
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  });
  if (code !== 0) throw new Error(`the dashboard's build failed (exit ${code}):\n${output}`);
}

import { spawn } from "node:child_process";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { REPO_ROOT } from "./apps.ts";

/** Where the dashboard's package lives; its `dist/` is the gateway's assets directory. */
export const DASHBOARD_DIR = join(REPO_ROOT, "apps", "dashboard");

/**
 * Builds the dashboard page into `apps/dashboard/dist` (esbuild, well under a second), which the
 * gateway serves at `/` as static assets: its wrangler.jsonc names that directory. Skipped when
 * the page is newer than its sources: stacks started side by side (Turborepo runs several test
 * tasks at once) must not replace the directory another one is serving.
 * @param signal aborts the build
 * @returns whether it built
 */
export async function buildDashboard(signal?: AbortSignal): Promise<boolean> {
  if (await isCurrent()) return false;
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
  return true;
}

/** Whether `dist/index.html` is newer than every source file and the build script. */
async function isCurrent(): Promise<boolean> {
  const built = await stat(join(DASHBOARD_DIR, "dist", "index.html")).catch(() => undefined);
  if (built === undefined) return false;
  const sources = await readdir(join(DASHBOARD_DIR, "src"), { recursive: true });
  const paths = [
    join(DASHBOARD_DIR, "scripts", "build.mjs"),
    ...sources.map((file) => join(DASHBOARD_DIR, "src", file)),
  ];
  for (const path of paths) {
    if ((await stat(path)).mtimeMs > built.mtimeMs) return false;
  }
  return true;
}

import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { REPO_ROOT, type StackApp } from "./apps.ts";

const WRANGLER_BIN = createRequire(import.meta.url).resolve("wrangler/bin/wrangler.js");
// Files in these folders never reach a bundle; skipping them keeps the freshness check fast.
const SKIP = new Set(["node_modules", ".wrangler", "dist", "coverage", "test", ".turbo"]);

/** Where an app's bundle is written. */
export function bundleDir(app: StackApp): string {
  return join(REPO_ROOT, ".wrangler", "bundles", app.dir);
}

/**
 * Builds the app's bundle with `wrangler deploy --dry-run`, unless the bundle is newer than
 * every file that goes into it (the app and the workspace packages it depends on).
 * @param app the worker
 * @param signal aborts the build (ends the wrangler process)
 * @returns the bundle's entry file and whether it was rebuilt
 */
export async function ensureBundle(
  app: StackApp,
  signal?: AbortSignal,
): Promise<{ entry: string; built: boolean }> {
  const outdir = bundleDir(app);
  const entry = join(outdir, "index.js");
  const builtAt = await mtime(entry);
  if (builtAt !== undefined && builtAt >= (await newestInput(app))) return { entry, built: false };
  // Built aside and renamed into place, file by file: a stack starting at the same moment (say,
  // two test suites) reads either the old bundle or the new one, never half of one.
  await mkdir(outdir, { recursive: true });
  const scratch = await mkdtemp(`${outdir}.building-`);
  try {
    await wranglerBuild(join(REPO_ROOT, "apps", app.dir), scratch, signal);
    for (const file of await readdir(scratch))
      await rename(join(scratch, file), join(outdir, file));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return { entry, built: true };
}

async function wranglerBuild(cwd: string, outdir: string, signal: AbortSignal | undefined) {
  const args = [WRANGLER_BIN, "deploy", "--dry-run", "--outdir", outdir];
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
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
  if (code !== 0) throw new Error(`wrangler build failed in ${cwd} (exit ${code}):\n${output}`);
}

/** The newest modification time among the files a bundle is made from. */
async function newestInput(app: StackApp): Promise<number> {
  const appDir = join(REPO_ROOT, "apps", app.dir);
  const dirs = [appDir, ...(await workspaceDependencyDirs(appDir))];
  const times = await Promise.all(dirs.map(newestIn));
  return Math.max(...times);
}

async function newestIn(dir: string): Promise<number> {
  let newest = 0;
  const pending = [dir];
  for (let current = pending.pop(); current !== undefined; current = pending.pop()) {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      if (SKIP.has(entry.name)) continue;
      const path = join(current, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else newest = Math.max(newest, (await mtime(path)) ?? 0);
    }
  }
  return newest;
}

// The `workspace:` runtime dependencies of a package, e.g. @chorus/core → packages/core.
async function workspaceDependencyDirs(packageDir: string): Promise<string[]> {
  const manifest = JSON.parse(await readFile(join(packageDir, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
  };
  const names = Object.entries(manifest.dependencies ?? {})
    .filter(([, range]) => range.startsWith("workspace:"))
    .map(([name]) => name);
  const dirs: string[] = [];
  for (const parent of ["packages", "apps"]) {
    for (const dir of await readdir(join(REPO_ROOT, parent))) {
      const path = join(REPO_ROOT, parent, dir);
      const raw = await readFile(join(path, "package.json"), "utf8").catch(() => undefined);
      if (raw !== undefined && names.includes((JSON.parse(raw) as { name?: string }).name ?? "")) {
        dirs.push(path);
      }
    }
  }
  return dirs;
}

async function mtime(path: string): Promise<number | undefined> {
  return stat(path).then(
    (info) => info.mtimeMs,
    () => undefined,
  );
}

#!/usr/bin/env node
// Builds the dashboard into dist/, the directory the gateway serves as static assets: the page's
// TypeScript bundled and minified by esbuild (the version wrangler itself bundles with), its CSS,
// and index.html. Then checks the budget: the whole page under 100 KB gzipped.
import { copyFile, mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/** The budget for the whole page, gzipped. */
export const BUDGET = 100 * 1000;

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = join(root, "dist");
// Built aside and renamed into place, so a stack starting meanwhile serves a whole page.
const scratch = `${dist}.building-${process.pid}`;
await rm(scratch, { recursive: true, force: true });
await mkdir(scratch, { recursive: true });
await build({
  entryPoints: { app: join(root, "src/main.ts"), style: join(root, "src/style.css") },
  outdir: scratch,
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2022",
  legalComments: "none",
  logLevel: "warning",
});
await copyFile(join(root, "src/index.html"), join(scratch, "index.html"));
await rm(dist, { recursive: true, force: true });
await rename(scratch, dist);

let total = 0;
for (const file of await readdir(dist)) {
  total += gzipSync(await readFile(join(dist, file))).byteLength;
}
const verdict = total <= BUDGET ? "ok" : "OVER THE BUDGET";
console.log(
  `dashboard: ${(total / 1000).toFixed(1)} KB gzipped (budget ${BUDGET / 1000} KB) ${verdict}`,
);
if (total > BUDGET) process.exit(1);

#!/usr/bin/env node
// Checks what `npm run build` left in each app's dist/ (the bundle `wrangler deploy` would upload,
// built from the app's own wrangler.jsonc): every app has one, and each is under the Workers
// size limit. wrangler's dry run only prints the size, so a worker that grew past the limit
// would otherwise first fail on someone's real deploy.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

// The Workers Free plan's limit on a worker's gzipped size (Paid: 10 MiB). Holding every worker
// under the lower one keeps each deployable on either plan.
const LIMIT = 3 * 1024 * 1024;
// Not uploaded: source maps, wrangler's note, esbuild's metafile.
const NOT_UPLOADED = /\.map$|^README\.md$|\.json$/;

// From the URL, not import.meta.dirname: package.json allows Node 20.3, which lacks it.
const root = fileURLToPath(new URL("..", import.meta.url));
const apps = readdirSync(join(root, "apps")).filter((app) =>
  existsSync(join(root, "apps", app, "wrangler.jsonc")),
);
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
let failed = false;
for (const app of apps) {
  const dist = join(root, "apps", app, "dist");
  const files = existsSync(dist) ? readdirSync(dist).filter((f) => !NOT_UPLOADED.test(f)) : [];
  if (files.length === 0) {
    console.error(`apps/${app}: no bundle in dist/; run \`npm run build\` first`);
    failed = true;
    continue;
  }
  // As wrangler measures it: the modules end to end, gzipped as one.
  const bytes = Buffer.concat(files.map((file) => readFileSync(join(dist, file))));
  const gzipped = gzipSync(bytes).byteLength;
  const share = ((gzipped / LIMIT) * 100).toFixed(1);
  const verdict = gzipped > LIMIT ? "OVER THE LIMIT" : "ok";
  console.log(
    `apps/${app}: ${kib(bytes.byteLength)}, gzip ${kib(gzipped)} (${share}% of ${kib(LIMIT)}) ${verdict}`,
  );
  if (gzipped > LIMIT) failed = true;
}
process.exitCode = failed ? 1 : 0;

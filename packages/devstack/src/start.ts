/**
 * `npm start`: serves every Chorus worker at http://127.0.0.1:8787 (`PORT` overrides), state kept
 * in `.wrangler/state` (`CHORUS_STATE_DIR` overrides), until Ctrl-C. With `--demo` the demo agents
 * run against it once it is up, and it keeps serving afterwards.
 */
import { runDemo } from "./demo-run.ts";
import { type Stack, startStack } from "./stack.ts";

const port = Number(process.env.PORT || 8787);
if (!Number.isSafeInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, not "${process.env.PORT}"`);
  process.exit(2);
}

const stateDir = process.env.CHORUS_STATE_DIR;
const starting = new AbortController();
let stack: Stack | undefined;
let stopping = false;
// Exits 128 + the signal's number, as a process ended by it would; Miniflare's exit hook, which
// kills workerd on SIGINT and SIGTERM, exits the same way if it runs first.
for (const [signal, number] of [
  ["SIGINT", 2],
  ["SIGTERM", 15],
] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping Chorus…`);
    starting.abort(new Error(`stopped by ${signal}`));
    void (stack?.stop() ?? Promise.resolve()).then(
      () => process.exit(128 + number),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}

console.log("Starting Chorus: gateway, coordinator, state manager (one Miniflare instance)…");
try {
  stack = await startStack({
    port,
    ...(stateDir ? { persist: stateDir } : {}),
    signal: starting.signal,
    log: (line) => console.log(`  ${line}`),
  });
} catch (error) {
  if (stopping) await new Promise(() => {}); // the signal handler exits
  console.error(`\nChorus did not start: ${describe(error)}`);
  process.exit(1);
}

console.log(`
Chorus is running at ${stack.url}
  dashboard    ${stack.url}/   (sign in with the admin token)
  API          ${stack.url}/api   (OpenAPI: ${stack.url}/openapi.json)
  admin token  ${stack.token}   (ADMIN_TOKEN in apps/gateway/.dev.vars)
  state        ${stateDir || ".wrangler/state (in the repository root; delete it to start afresh)"}
  try          curl ${stack.url}/health
               curl -H "Authorization: Bearer ${stack.token}" ${stack.url}/api/workflows
Press Ctrl-C to stop.
`);

if (process.argv.includes("--demo")) {
  try {
    await runDemo({ baseUrl: stack.url, token: stack.token, print: console.log });
    console.log(`\nThe demo is done; Chorus keeps serving at ${stack.url} (Ctrl-C to stop).`);
  } catch (error) {
    console.error(`\nThe demo failed: ${describe(error)}\nChorus keeps serving at ${stack.url}.`);
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (/in use/i.test(error.message)) {
    return `port ${port} is in use: stop what holds it, or set PORT (e.g. PORT=8788 npm start)`;
  }
  return error.message;
}

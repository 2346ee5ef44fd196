import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { Miniflare, type WorkerOptions } from "miniflare";
import { REPO_ROOT, STACK_APPS, type StackApp } from "./apps.ts";
import { ensureBundle } from "./bundles.ts";
import { buildDashboard } from "./dashboard.ts";
import { ensureDevVars } from "./dev-vars.ts";

/** How to run the local stack. */
export interface StackOptions {
  /** TCP port; `0` picks a free one. Default `8787` */
  port?: number;
  /** interface to listen on. Default `127.0.0.1` */
  host?: string;
  /** directory for Durable Object SQLite and R2 data, or `false` for a throwaway store. Default `<repo>/.wrangler/state` */
  persist?: string | false;
  /** the admin token to serve with instead of `ADMIN_TOKEN` from `apps/gateway/.dev.vars` */
  adminToken?: string;
  /**
   * serve the benchmark floors (`GET`/`POST …/noop`, the state manager's `noop`/`noopWrite`):
   * `BENCH_FLOORS=1` in every worker, whatever wrangler.jsonc and `.dev.vars` say. Default `false`
   */
  benchFloors?: boolean;
  /** workers' `console` output: passed through (default) or dropped */
  workerOutput?: "inherit" | "ignore";
  /** aborts a start in progress (builds are ended, the runtime stopped); use `stop()` once started */
  signal?: AbortSignal;
  /** receives progress lines (bundles built, `.dev.vars` created) */
  log?: (line: string) => void;
}

/** A running stack. */
export interface Stack {
  /** the gateway's base URL, e.g. `http://127.0.0.1:8787` (no trailing slash) */
  url: string;
  /** the admin token the gateway accepts */
  token: string;
  /** Stops every worker; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Builds (or reuses) each worker's bundle and serves the gateway, coordinator, state manager and agents
 * together in one Miniflare instance: the gateway answers HTTP, the others are reached through
 * its service bindings, exactly as deployed.
 * @param options port, persistence, token and logging
 * @returns the URL, the admin token and `stop()`
 * @example
 * const stack = await startStack({ port: 0, persist: false });
 * const client = new ChorusClient({ baseUrl: stack.url, token: stack.token });
 * await stack.stop();
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const log = options.log ?? (() => {});
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 8787;
  // Checked first: workerd's own bind failure is a fatal stack trace on stderr.
  if (port !== 0) await assertPortFree(host, port);
  const gatewayDir = join(REPO_ROOT, "apps", "gateway");
  const devVars = await ensureDevVars(gatewayDir);
  if (devVars === "created") log("created apps/gateway/.dev.vars from .dev.vars.example");

  // The page is built when its sources changed: the gateway serves it from the directory.
  const [bundles] = await Promise.all([
    Promise.all(STACK_APPS.map((app) => ensureBundle(app, options.signal))),
    buildDashboard(options.signal),
  ]);
  for (const [index, bundle] of bundles.entries()) {
    log(`${bundle.built ? "built" : "reused"} bundle of apps/${STACK_APPS[index]?.dir}`);
  }
  const wrangler = await loadWrangler();
  const workers = STACK_APPS.map((app, index) =>
    workerFor(wrangler, app, bundles[index]?.entry ?? "", options),
  );
  const token = tokenOf(workers[0]?.bindings);

  const persist = options.persist ?? join(REPO_ROOT, ".wrangler", "state");
  const inspectorPort = process.env.CHORUS_INSPECTOR_PORT;
  const mf = new Miniflare({
    host,
    port,
    // V8's inspector on the workers, for CPU profiles (DevTools, or bench/cpu-profile.ts).
    ...(inspectorPort === undefined ? {} : { inspectorPort: Number(inspectorPort) }),
    // The v3 layout of `wrangler dev --persist-to <dir>`: do/, r2/, … under <dir>/v3.
    ...(persist === false ? {} : { defaultPersistRoot: join(persist, "v3") }),
    ...(options.workerOutput === "ignore" ? { handleRuntimeStdio: drain } : {}),
    workers,
  });
  const ready = await mf.ready.catch(async (error: unknown) => {
    await mf.dispose().catch(() => {});
    throw error;
  });
  if (options.signal?.aborted) {
    await mf.dispose();
    throw options.signal.reason;
  }
  let stopped: Promise<void> | undefined;
  return {
    url: ready.origin,
    token,
    stop: () => {
      stopped ??= mf.dispose();
      return stopped;
    },
  };
}

/**
 * The dev admin token: `ADMIN_TOKEN` in `apps/gateway/.dev.vars` (created from the example first).
 * @returns the token a stack started from this checkout accepts
 */
export async function devAdminToken(): Promise<string> {
  await ensureDevVars(join(REPO_ROOT, "apps", "gateway"));
  const gateway = STACK_APPS[0];
  if (gateway === undefined) throw new Error("unreachable: the stack has no gateway");
  return tokenOf(wranglerOptions(await loadWrangler(), gateway).options.bindings);
}

// Bindings, Durable Objects (SQLite per the migrations), R2, vars and `.dev.vars` come from the
// app's wrangler.jsonc through wrangler itself; the code is the bundle wrangler built.
function workerFor(
  wrangler: Wrangler,
  app: StackApp,
  entry: string,
  { adminToken, benchFloors }: Pick<StackOptions, "adminToken" | "benchFloors">,
): WorkerOptions {
  const { name, options } = wranglerOptions(wrangler, app);
  const bindings = { ...options.bindings };
  if (app.dir === "gateway" && adminToken !== undefined) bindings.ADMIN_TOKEN = adminToken;
  if (benchFloors === true) bindings.BENCH_FLOORS = "1";
  return {
    ...options,
    name,
    bindings,
    modules: true,
    scriptPath: entry,
    modulesRoot: dirname(entry),
  };
}

function wranglerOptions(wrangler: Wrangler, app: StackApp) {
  const config = wrangler.unstable_readConfig({ config: app.config }, { hideWarnings: true });
  const { workerOptions } = wrangler.unstable_getMiniflareWorkerOptions(config);
  return { name: config.name, options: workerOptions };
}

type Wrangler = typeof import("wrangler");
let wranglerModule: Promise<Wrangler> | undefined;

// Loading wrangler's module installs SIGINT/SIGTERM handlers that exit the process at once (they
// clean up `wrangler pages` temporary files, which the stack never makes). They are removed, so
// that Ctrl-C reaches whoever started the stack and Miniflare's own exit hook stops workerd.
function loadWrangler(): Promise<Wrangler> {
  wranglerModule ??= (async () => {
    const signals = ["SIGINT", "SIGTERM"] as const;
    const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
    const wrangler = await import("wrangler");
    for (const signal of signals) {
      for (const listener of process.listeners(signal)) {
        if (!before.get(signal)?.has(listener)) process.off(signal, listener);
      }
    }
    return wrangler;
  })();
  return wranglerModule;
}

function tokenOf(gatewayBindings: Record<string, unknown> | undefined): string {
  const token = gatewayBindings?.ADMIN_TOKEN;
  if (typeof token !== "string" || token === "") {
    throw new Error(
      "The gateway has no ADMIN_TOKEN: add one to apps/gateway/.dev.vars (see .dev.vars.example)",
    );
  }
  return token;
}

function assertPortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EADDRINUSE") return reject(error);
      reject(
        new Error(`port ${port} on ${host} is in use: stop what holds it or choose another port`),
      );
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

function drain(stdout: NodeJS.ReadableStream, stderr: NodeJS.ReadableStream): void {
  stdout.resume();
  stderr.resume();
}

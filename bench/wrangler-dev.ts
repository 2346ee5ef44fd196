import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const REPO_ROOT = fileURLToPath(new URL("../", import.meta.url));
const WRANGLER_BIN = createRequire(import.meta.url).resolve("wrangler/bin/wrangler.js");
// The gateway first: `wrangler dev` serves HTTP with the first config's worker.
const CONFIGS = ["gateway", "state-manager", "coordinator", "agents"].map(
  (app) => `apps/${app}/wrangler.jsonc`,
);
const READY_TIMEOUT_MS = 120_000;

/** A running `wrangler dev`. */
export interface WranglerDev {
  url: string;
  /** Ends the process group it started (wrangler, workerd); safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts `wrangler dev -c gateway -c state-manager -c coordinator` on a free loopback port, with
 * its own inspector port and persistence directory and the benchmark floors on (`BENCH_FLOORS=1`),
 * and waits until `/health` answers 200.
 * @param persistTo an empty directory for the Durable Objects' SQLite
 * @returns the URL and `stop()`
 * @throws Error with wrangler's last output when it exits or does not answer in time
 */
export async function startWranglerDev(persistTo: string): Promise<WranglerDev> {
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const args = [WRANGLER_BIN, "dev", ...CONFIGS.flatMap((config) => ["-c", config])];
  args.push("--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspectorPort));
  // `warn`: no log line per request, so the load measures serving, not terminal output.
  args.push("--persist-to", persistTo, "--show-interactive-dev-session=false", "--log-level=warn");
  // The benchmark floors on. `--var` reaches only the first config's worker, the gateway; the
  // others read their own .dev.vars or, where there is none, with CLOUDFLARE_INCLUDE_PROCESS_ENV,
  // this process's environment (all of it, as secrets, in those local workers).
  args.push("--var", "BENCH_FLOORS:1");
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    // Its own process group, so stop() reaches workerd too.
    detached: true,
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: "false",
      CLOUDFLARE_INCLUDE_PROCESS_ENV: "true",
      BENCH_FLOORS: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 50) output.shift();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= endGroup(child, exited);
    return stopped;
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(url, exited);
  } catch (error) {
    await stop();
    throw new Error(`wrangler dev did not start: ${String(error)}\n${output.join("")}`);
  }
  return { url, stop };
}

async function waitForHealth(url: string, exited: Promise<void>): Promise<void> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (gone) throw new Error("it exited");
    const status = await fetch(`${url}/health`).then(
      (res) => res.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`/health did not answer 200 within ${READY_TIMEOUT_MS / 1000} s`);
}

async function endGroup(child: ChildProcess, exited: Promise<void>): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      // the group is already gone
    }
  };
  if (child.exitCode === null && child.signalCode === null) {
    signal("SIGTERM");
    const timer = setTimeout(() => signal("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  }
  // workerd may outlive wrangler by a moment; the group signal reaches it too.
  signal("SIGKILL");
}

/** A TCP port on 127.0.0.1 that nothing listens on at the moment. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

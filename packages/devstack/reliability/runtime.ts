import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** A stack in a child process group that can be killed at any moment. */
export interface Runtime {
  url: string;
  token: string;
  /** when it was spawned and when it answered, in `performance.now()` ms */
  spawnedAt: number;
  readyAt: number;
  /** SIGKILL to the whole group: the Node process and workerd under it */
  kill(): Promise<void>;
}

const SERVE = fileURLToPath(new URL("./serve.ts", import.meta.url));

/**
 * Starts the stack on a directory in a process group of its own.
 * @param stateDir where Durable Object SQLite and R2 are persisted
 * @returns once the gateway answers
 */
export function startRuntime(stateDir: string): Promise<Runtime> {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", SERVE], {
    env: { ...process.env, CHAOS_STATE_DIR: stateDir },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /^ready (\S+) (\S+)$/m.exec(output);
      if (ready === null) return;
      child.stdout?.off("data", onData);
      child.stdout?.resume();
      child.stderr?.resume();
      resolve({
        url: ready[1] ?? "",
        token: ready[2] ?? "",
        spawnedAt,
        readyAt: performance.now(),
        kill: () => killGroup(child),
      });
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) =>
      reject(new Error(`the stack exited (${code}) before it answered:\n${output}`)),
    );
  });
}

function killGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // Already gone.
  }
  return exited;
}

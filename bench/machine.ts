import { execFileSync } from "node:child_process";
import { cpus, loadavg, release, totalmem } from "node:os";
import { fileURLToPath } from "node:url";

/**
 * One line about where and on what code the run happens: CPU, cores, memory, OS, Node, the load
 * average at the start, and the commit with `-dirty` when the work tree has changes.
 * @returns the description
 */
export function describeMachine(): string {
  const cpu = cpus();
  const memory = `${Math.round(totalmem() / 2 ** 30)} GiB`;
  const load = loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");
  return [
    `${cpu[0]?.model.trim() ?? "unknown CPU"} × ${cpu.length} cores, ${memory}`,
    `Linux ${release()}`,
    `Node ${process.version}`,
    `load average at start ${load}`,
    `code ${gitDescription()}`,
  ].join("; ");
}

function gitDescription(): string {
  try {
    return execFileSync("git", ["describe", "--always", "--dirty"], {
      cwd: fileURLToPath(new URL(".", import.meta.url)),
      encoding: "utf8",
    }).trim();
  } catch {
    return "unknown (not a git checkout)";
  }
}

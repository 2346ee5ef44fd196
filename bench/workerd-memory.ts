import { readdirSync, readFileSync } from "node:fs";

/**
 * The resident memory of the workerd processes this process started (Miniflare's; Linux only).
 * @returns bytes, summed over them
 */
export function workerdRss(): number {
  let total = 0;
  for (const pid of descendants(process.pid)) {
    const status = read(`/proc/${pid}/status`);
    if (!/^Name:\s+workerd$/m.test(status)) continue;
    total += Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0) * 1024;
  }
  if (total === 0) throw new Error("no workerd process found under this one");
  return total;
}

function descendants(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so split after ")".
    const stat = read(`/proc/${entry}/stat`);
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    parentOf.set(Number(entry), ppid);
  }
  const found: number[] = [];
  for (const pid of parentOf.keys()) {
    for (let up = parentOf.get(pid); up !== undefined && up > 1; up = parentOf.get(up)) {
      if (up === root) {
        found.push(pid);
        break;
      }
    }
  }
  return found;
}

function read(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

import { readdirSync, readFileSync } from "node:fs";

/** CPU time counters at one moment (Linux `/proc`), in clock ticks. */
export interface CpuSample {
  /** all cores, busy */
  busy: number;
  /** all cores, busy or idle */
  total: number;
  /** this process and every descendant (the load generator, workerd, wrangler) */
  ours: number;
}

/** How the cores were used between two samples, in cores (2 = both cores busy). */
export interface CpuUse {
  /** by this benchmark's processes */
  ours: number;
  /** by everything else on the machine: other engineers' tests, the kernel */
  others: number;
}

/**
 * Reads the machine's and this process tree's CPU counters.
 * @returns the sample, or `undefined` where there is no Linux `/proc`
 */
export function sampleCpu(): CpuSample | undefined {
  try {
    const fields = (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "")
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const total = fields.reduce((sum, value) => sum + value, 0);
    // idle and iowait
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: total - idle, total, ours: treeTicks(process.pid) };
  } catch {
    return undefined;
  }
}

/**
 * The cores used between two samples, by this benchmark and by everything else.
 * @param before the earlier sample
 * @param after the later sample
 * @param cores how many cores the machine has
 * @returns the use, or `undefined` when either sample is missing
 */
export function cpuBetween(
  before: CpuSample | undefined,
  after: CpuSample | undefined,
  cores: number,
): CpuUse | undefined {
  if (before === undefined || after === undefined || after.total <= before.total) return undefined;
  // /proc/stat counts ticks on every core: the elapsed ticks of one core are total / cores.
  const perCore = (after.total - before.total) / cores;
  const ours = (after.ours - before.ours) / perCore;
  const busy = (after.busy - before.busy) / perCore;
  return { ours, others: Math.max(0, busy - ours) };
}

// utime + stime of a process and its live descendants; children that already exited are not
// counted, which only matters for processes shorter than a scenario.
function treeTicks(root: number): number {
  const children = new Map<number, number[]>();
  const ticks = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue;
    }
    // Fields after the parenthesised command name: state ppid … utime(12th) stime(13th).
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const pid = Number(entry);
    const ppid = Number(rest[1]);
    ticks.set(pid, Number(rest[11]) + Number(rest[12]));
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  let sum = 0;
  const pending = [root];
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    sum += ticks.get(pid) ?? 0;
    pending.push(...(children.get(pid) ?? []));
  }
  return sum;
}

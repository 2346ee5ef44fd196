/** What one benchmark run does; every member comes from an environment variable. */
export interface BenchConfig {
  /** seconds each scenario runs (`BENCH_DURATION`, default 5) */
  duration: number;
  /** times the scenario list is repeated against Miniflare, rotated each time (`BENCH_ROUNDS`, default 2) */
  rounds: number;
  /** the same against `wrangler dev`, which serves more slowly (`BENCH_WRANGLER_ROUNDS`, default 1) */
  wranglerRounds: number;
  /** autocannon connections for the loaded scenarios (`BENCH_CONNECTIONS`, default 16) */
  connections: number;
  /** workflows the spread scenarios pick from at random (`BENCH_WORKFLOWS`, default 1000) */
  workflows: number;
  /** servers to measure, in this order (`BENCH_TARGETS`, default `miniflare,wrangler`) */
  targets: TargetName[];
  /** each one-workflow operation on one connection too: the unloaded round trip (`BENCH_SERIAL`, default 1) */
  serial: boolean;
  /** a commit's stages: admin no-op, commits refused at each hop (`BENCH_LADDER`, default 0) */
  ladder: boolean;
  /** give `wrangler dev` the single-connection and stage runs too (`BENCH_WRANGLER_FULL`, default 0) */
  wranglerFull: boolean;
  /** also commit with `PATCH` (a JSON Patch body) beside `POST` (`BENCH_PATCH`, default 0) */
  patch: boolean;
  /** Miniflare keeps Durable Object storage in memory, not on disk (`BENCH_PERSIST=memory`) */
  inMemory: boolean;
  /** a measurement taken while other processes used more cores than this is retried (`BENCH_MAX_OTHERS`, default 0.3) */
  maxOthers: number;
  /** how often such a measurement is retried; the quietest attempt is kept (`BENCH_RETRIES`, default 1) */
  retries: number;
  /** where to write the run's Markdown and JSON, without extension (`BENCH_OUT`, default none) */
  out: string | undefined;
}

/** A way of serving the stack. */
export type TargetName = "miniflare" | "wrangler";

const TARGETS: readonly TargetName[] = ["miniflare", "wrangler"];

/**
 * Reads the run's settings from the environment.
 * @param env usually `process.env`
 * @returns the settings
 * @throws Error naming the variable when one is not a valid value
 */
export function readConfig(env: NodeJS.ProcessEnv): BenchConfig {
  const targets = (env.BENCH_TARGETS || "miniflare,wrangler").split(",").map((t) => t.trim());
  for (const target of targets) {
    if (!TARGETS.includes(target as TargetName)) {
      throw new Error(`BENCH_TARGETS: "${target}" is not one of ${TARGETS.join(", ")}`);
    }
  }
  return {
    duration: number(env, "BENCH_DURATION", 5, 1),
    rounds: number(env, "BENCH_ROUNDS", 2, 1),
    wranglerRounds: number(env, "BENCH_WRANGLER_ROUNDS", 1, 1),
    connections: number(env, "BENCH_CONNECTIONS", 16, 1),
    workflows: number(env, "BENCH_WORKFLOWS", 1000, 1),
    // Miniflare first: `wrangler dev` then serves the same persisted workflows.
    targets: TARGETS.filter((target) => targets.includes(target)),
    serial: flag(env, "BENCH_SERIAL", true),
    ladder: flag(env, "BENCH_LADDER", false),
    wranglerFull: flag(env, "BENCH_WRANGLER_FULL", false),
    patch: flag(env, "BENCH_PATCH", false),
    inMemory: env.BENCH_PERSIST === "memory",
    maxOthers: number(env, "BENCH_MAX_OTHERS", 0.3, 0, false),
    retries: number(env, "BENCH_RETRIES", 1, 0),
    out: env.BENCH_OUT || undefined,
  };
}

function number(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  whole = true,
): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || (whole && !Number.isSafeInteger(value))) {
    throw new Error(`${name} must be a ${whole ? "whole " : ""}number ≥ ${min}, not "${raw}"`);
  }
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  return raw !== "0" && raw !== "false";
}

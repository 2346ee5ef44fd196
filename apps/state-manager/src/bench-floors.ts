import { benchFloorsEnabled, ChorusError } from "@chorus/core";

/**
 * Refuses a benchmark floor where the floors are off, before its input is read: there, these
 * methods do not exist.
 * @param env the state manager's environment (`BENCH_FLOORS`)
 * @param method the floor asked for
 */
export function requireBenchFloors(env: StateManagerEnv, method: "noop" | "noopWrite"): void {
  if (benchFloorsEnabled(env)) return;
  throw new ChorusError(
    "NOT_FOUND",
    `${method} is a benchmark floor, served only where the state manager's BENCH_FLOORS is "1"`,
  );
}

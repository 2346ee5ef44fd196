import { devAdminToken, startStack } from "@chorus/devstack";
import type { TargetName } from "./config.ts";
import { startWranglerDev } from "./wrangler-dev.ts";

/** A running stack the load goes to. */
export interface Target {
  name: TargetName;
  /** how it is served, for the report */
  label: string;
  url: string;
  adminToken: string;
  stop(): Promise<void>;
}

/** How each target is served, as the report names it. */
export const TARGET_LABELS: Readonly<Record<TargetName, string>> = {
  miniflare: "startStack: one Miniflare instance, workerd serving HTTP directly",
  wrangler: "wrangler dev -c gateway -c state-manager -c coordinator (its proxy in front)",
};

/**
 * Starts the whole stack (gateway, coordinator, state manager) one way or the other, on a free
 * loopback port, persisting into `persistDir`.
 * @param name `miniflare` (the devstack's `startStack`) or `wrangler` (`wrangler dev`)
 * @param persistDir a fresh, empty directory
 * @param inMemory Miniflare only: keep storage in memory, not in `persistDir`
 * @returns the running target
 */
export async function startTarget(
  name: TargetName,
  persistDir: string,
  inMemory = false,
): Promise<Target> {
  const label = TARGET_LABELS[name];
  if (name === "miniflare") {
    const persist = inMemory ? false : persistDir;
    const stack = await startStack({ port: 0, persist, workerOutput: "ignore", benchFloors: true });
    return { name, label, url: stack.url, adminToken: stack.token, stop: stack.stop };
  }
  // `wrangler dev` reads apps/gateway/.dev.vars, which devAdminToken creates if it is missing.
  const adminToken = await devAdminToken();
  const dev = await startWranglerDev(persistDir);
  return { name, label, url: dev.url, adminToken, stop: dev.stop };
}

/**
 * Checks that a target serves the benchmark floors, which every ratio is taken against: a stack
 * without them would answer each floor request 404 and the run would compare with nothing.
 * @param target the running target
 * @param workflowId any of its workflows
 * @throws Error saying how to turn the floors on, when `GET …/noop` does not answer 200
 */
export async function assertFloors(target: Target, workflowId: string): Promise<void> {
  const response = await fetch(`${target.url}/api/workflows/${workflowId}/noop`, {
    headers: { authorization: `Bearer ${target.adminToken}` },
  });
  const text = await response.text();
  if (response.status === 200) return;
  throw new Error(
    `${target.name} does not serve the benchmark floors (GET …/noop: ${response.status} ${text}). ` +
      "The gateway and the state manager need BENCH_FLOORS=1; under wrangler dev, the state " +
      "manager reads it from apps/state-manager/.dev.vars if that file exists: add it there.",
  );
}

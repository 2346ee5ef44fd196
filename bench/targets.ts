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
    const stack = await startStack({ port: 0, persist, workerOutput: "ignore" });
    return { name, label, url: stack.url, adminToken: stack.token, stop: stack.stop };
  }
  // `wrangler dev` reads apps/gateway/.dev.vars, which devAdminToken creates if it is missing.
  const adminToken = await devAdminToken();
  const dev = await startWranglerDev(persistDir);
  return { name, label, url: dev.url, adminToken, stop: dev.stop };
}

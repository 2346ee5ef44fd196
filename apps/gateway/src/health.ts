import type { ComponentHealth } from "@chorus/core";
import type { Env } from "./env.ts";

/** How long a callee may take to answer `ping` before it counts as down. */
const PING_TIMEOUT_MS = 2000;

/**
 * Pings every callee through its binding, in parallel.
 * @param env the bindings
 * @returns each component's status and round-trip latency
 */
export async function checkComponents(
  env: Env,
): Promise<{ stateManager: ComponentHealth; coordinator: ComponentHealth }> {
  const [stateManager, coordinator] = await Promise.all([
    probe(() => env.STATE.ping()),
    probe(() => env.COORDINATOR.ping()),
  ]);
  return { stateManager, coordinator };
}

async function probe(ping: () => Promise<{ service: string }>): Promise<ComponentHealth> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 100) / 100;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer in ${PING_TIMEOUT_MS} ms`)),
      PING_TIMEOUT_MS,
    );
  });
  try {
    const { service } = await Promise.race([ping(), timeout]);
    return { status: "up", latencyMs: elapsed(), service };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: "down", latencyMs: elapsed(), error: message };
  } finally {
    clearTimeout(timer);
  }
}

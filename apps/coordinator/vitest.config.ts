import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { AUXILIARY, bundlePath } from "./test/global-setup.ts";

/**
 * A callee as an auxiliary worker: the bindings its own wrangler.jsonc declares, running the
 * bundle test/global-setup.ts built (auxiliary workers cannot bundle TypeScript themselves).
 */
function auxiliaryWorker(app: (typeof AUXILIARY)[number]) {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(`../${app}/wrangler.jsonc`);
  const { modulesRules: _bundled, serviceBindings, ...options } = workerOptions;
  // The state manager's AGENTS and DASHBOARD bindings (apps/agents, its change consumers) are
  // left out: these tests load no agents worker, and a binding to a missing worker stops workerd
  // from starting.
  const {
    AGENTS: _agents,
    DASHBOARD: _dashboard,
    ...others
  } = (serviceBindings ?? {}) as Record<string, unknown>;
  const bindings = {
    ...options.bindings,
    ...(app === "state-manager" ? { CHANGE_CONSUMERS: "" } : {}),
  };
  return {
    ...options,
    bindings,
    serviceBindings: others as typeof serviceBindings,
    name: `chorus-${app}`,
    modules: true,
    scriptPath: bundlePath(app),
  };
}

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.jsonc" },
      // The state manager answers STATE: each workflow's task board and agent status writes.
      miniflare: { workers: AUXILIARY.map(auxiliaryWorker) },
    }),
  ],
  test: {
    // Turborepo runs several workerd suites at once on CI's two cores: allow for the wait.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ["./test/global-setup.ts"],
    include: ["test/**/*.test.ts"],
    coverage: { provider: "istanbul", include: ["src/**/*.ts"] },
  },
});

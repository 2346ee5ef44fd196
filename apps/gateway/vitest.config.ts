import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { AUXILIARY, bundlePath } from "./test/global-setup.ts";

// The benchmark floors on in every worker, as the benchmarks run, so that the tests cover them;
// test/bench-floors.test.ts sends requests with wrangler.jsonc's value, as deployed.
const BENCH_FLOORS = { BENCH_FLOORS: "1" };

/**
 * A callee as an auxiliary worker: the bindings its own wrangler.jsonc declares, running the
 * bundle test/global-setup.ts built (auxiliary workers cannot bundle TypeScript themselves).
 */
function auxiliaryWorker(app: (typeof AUXILIARY)[number], linear: Record<string, string>) {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(`../${app}/wrangler.jsonc`);
  const { modulesRules: _bundled, ...options } = workerOptions;
  const bindings = { ...options.bindings, ...BENCH_FLOORS, ...(app === "agents" ? linear : {}) };
  return {
    ...options,
    bindings,
    name: `chorus-${app}`,
    modules: true,
    scriptPath: bundlePath(app),
  };
}

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: "./wrangler.jsonc" },
      miniflare: {
        bindings: {
          // A secret in production; tests read it back from `env`.
          ADMIN_TOKEN: "test-admin-token",
          ...BENCH_FLOORS,
          // Streams ping and look their token up every second, so tests see both soon.
          STREAM_PING_SECONDS: "1",
          STREAM_RECHECK_SECONDS: "1",
          // The secret the fake Linear (@chorus/linear-fake/global-setup) signs webhooks with.
          LINEAR_WEBHOOK_SECRET: inject("linearWebhookSecret"),
        },
        workers: AUXILIARY.map((app) =>
          // The agents' linear agent calls the fake Linear, with the key it expects.
          auxiliaryWorker(app, {
            LINEAR_API_URL: `${inject("linearUrl")}/graphql`,
            LINEAR_API_KEY: inject("linearApiKey"),
          }),
        ),
      },
    })),
  ],
  test: {
    // Turborepo runs several workerd suites at once on CI's two cores: allow for the wait.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ["./test/global-setup.ts", "@chorus/linear-fake/global-setup"],
    include: ["test/**/*.test.ts"],
    coverage: { provider: "istanbul", include: ["src/**/*.ts"] },
  },
});

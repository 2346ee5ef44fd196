import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { configDefaults, defineConfig } from "vitest/config";

/** The tests of the state manager as deployed, with the benchmark floors off. */
const FLOORS_OFF = ["test/bench-floors-off.test.ts"];

/**
 * The state manager as its wrangler.jsonc declares it, in workerd.
 * @param bindings what the tests' configuration sets beyond wrangler.jsonc
 */
function stateManager(bindings: Record<string, string> = {}) {
  return cloudflareTest({ wrangler: { configPath: "./wrangler.jsonc" }, miniflare: { bindings } });
}

export default defineConfig({
  test: {
    // Turborepo runs several workerd suites at once on CI's two cores: allow for the wait.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        // As the benchmarks run it: noop.test.ts covers the floors themselves.
        plugins: [stateManager({ BENCH_FLOORS: "1" })],
        test: {
          name: "floors on",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...FLOORS_OFF],
        },
      },
      {
        extends: true,
        // wrangler.jsonc's own BENCH_FLOORS: what a deployment gets.
        plugins: [stateManager()],
        test: { name: "floors off", include: FLOORS_OFF },
      },
    ],
    coverage: { provider: "istanbul", include: ["src/**/*.ts"] },
  },
});

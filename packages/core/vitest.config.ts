import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// Property tests share two cores with workerd and other packages' suites under Turborepo.
const shared = { include: ["src/**/*.test.ts", "bench/**/*.test.ts"], testTimeout: 30_000 };

// The same suite runs twice: in Node and inside workerd, because core must behave identically
// on both (checksums above all).
export default defineConfig({
  test: {
    projects: [
      { test: { name: "node", ...shared } },
      {
        plugins: [
          cloudflareTest({
            miniflare: { compatibilityDate: "2026-04-01", compatibilityFlags: ["nodejs_compat"] },
          }),
        ],
        test: { name: "workerd", ...shared },
      },
    ],
    coverage: {
      provider: "istanbul",
      include: ["src/**/*.ts"],
      exclude: ["src/**/*.test.ts", "src/testing/**"],
    },
  },
});

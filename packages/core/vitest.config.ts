import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// The same suite runs twice: in Node and inside workerd, because core must behave identically
// on both (checksums above all).
export default defineConfig({
  test: {
    projects: [
      {
        test: { name: "node", include: ["src/**/*.test.ts"] },
      },
      {
        plugins: [
          cloudflareTest({
            miniflare: { compatibilityDate: "2026-04-01", compatibilityFlags: ["nodejs_compat"] },
          }),
        ],
        test: { name: "workerd", include: ["src/**/*.test.ts"] },
      },
    ],
    coverage: {
      provider: "istanbul",
      include: ["src/**/*.ts"],
      exclude: ["src/**/*.test.ts", "src/**/*.bench.ts", "src/testing/**"],
    },
    benchmark: { include: ["bench/**/*.bench.ts"] },
  },
});

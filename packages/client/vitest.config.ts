import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // stack.test.ts builds and starts every worker in beforeAll.
    hookTimeout: 180_000,
    testTimeout: 30_000,
    coverage: { provider: "istanbul", include: ["src/**/*.ts"] },
  },
});

import { defineConfig } from "vitest/config";

// Plain Node: the fake is a Node HTTP server, driven here through the real @linear/sdk.
export default defineConfig({ test: { include: ["test/**/*.test.ts"], testTimeout: 30_000 } });

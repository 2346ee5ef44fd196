// What the tests bind beyond the worker's own bindings (vitest.config.ts): the agents worker's
// entrypoints, reached as its callers reach them.
declare namespace Cloudflare {
  interface Env {
    AGENTS: Service<import("../src/index").AgentsService>;
    DASHBOARD: Service<import("../src/index").DashboardService>;
    TEST_AGENTS: Service<import("./fixtures/agents-worker/index").TestAgents>;
    RECEIVER: Service<import("./fixtures/webhook-receiver/index").Receiver>;
  }
}

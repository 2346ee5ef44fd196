import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { AUXILIARY, bundlePath, RECEIVER_FIXTURE } from "./test/global-setup.ts";

/** Each agent beats every 200 ms in the tests, so alarms come soon. */
const HEARTBEAT_MS = "200";

/**
 * A worker as its wrangler.jsonc declares it, running the bundle test/global-setup.ts built
 * (auxiliary workers cannot bundle TypeScript themselves).
 */
function fromConfig(config: string, name: string, bundle: string) {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(config);
  const { modulesRules: _bundled, ...options } = workerOptions;
  return { ...options, name, modules: true, scriptPath: bundlePath(bundle) };
}

/** The state manager, delivering every commit to AGENTS and retrying after 50 ms, at most 400. */
function stateManager() {
  const worker = fromConfig(
    "../state-manager/wrangler.jsonc",
    "chorus-state-manager",
    "state-manager",
  );
  return {
    ...worker,
    bindings: { ...worker.bindings, CHANGE_RETRY_FIRST_MS: "50", CHANGE_RETRY_MAX_MS: "400" },
  };
}

/** The agents worker: wrangler.jsonc's bindings, plus the test agent, in the fixture's bundle. */
function agentsWorker(linear: { url: string; apiKey: string }) {
  const worker = fromConfig("./wrangler.jsonc", "chorus-agents", "agents");
  return {
    ...worker,
    // Webhooks retry after 100 ms, at most 400 ms apart; the linear agent calls the fake Linear
    // the globalSetup started, with the key it expects.
    bindings: {
      ...worker.bindings,
      AGENT_HEARTBEAT_MS: HEARTBEAT_MS,
      WEBHOOK_RETRY_FIRST_MS: "100",
      WEBHOOK_RETRY_MAX_MS: "400",
      // A Context Optimizer keeps 3 views, so a test reaches the bound.
      CONTEXT_VIEWS_MAX: "3",
      // Nobody looks at the dashboard 1.5 s after the last overview: a test sees its pauses.
      DASHBOARD_QUIET_MS: "1500",
      LINEAR_API_URL: `${linear.url}/graphql`,
      LINEAR_API_KEY: linear.apiKey,
    },
    // Every fetch the agents make (webhooks) reaches the local receiver, whatever its URL; the
    // receiver passes those for the fake Linear on (LINEAR_FAKE_ORIGIN).
    outboundService: "webhook-receiver",
    durableObjects: {
      ...worker.durableObjects,
      TEST_AGENT: { className: "TestAgent", useSQLite: true },
      // The linear agent with its clock in the tests' hands (test/fixtures/agents-worker).
      LINEAR_SYNC: { className: "TestLinearSync", useSQLite: true },
    },
  };
}

/** The webhook receiver, passing requests for the fake Linear on to it. */
function receiver(linearUrl: string) {
  const worker = fromConfig(
    `${RECEIVER_FIXTURE}/wrangler.jsonc`,
    "webhook-receiver",
    "webhook-receiver",
  );
  return { ...worker, bindings: { ...worker.bindings, LINEAR_FAKE_ORIGIN: linearUrl } };
}

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      // The tests are a client of the workers: they call them through service bindings only.
      miniflare: {
        compatibilityDate: "2026-04-01",
        serviceBindings: {
          AGENTS: { name: "chorus-agents", entrypoint: "AgentsService" },
          DASHBOARD: { name: "chorus-agents", entrypoint: "DashboardService" },
          TEST_AGENTS: { name: "chorus-agents", entrypoint: "TestAgents" },
          RECEIVER: { name: "webhook-receiver", entrypoint: "Receiver" },
          STATE: { name: "chorus-state-manager", entrypoint: "StateService" },
          COORDINATOR: { name: "chorus-coordinator", entrypoint: "CoordinatorService" },
        },
        workers: [
          agentsWorker({ url: inject("linearUrl"), apiKey: inject("linearApiKey") }),
          receiver(inject("linearUrl")),
          stateManager(),
          ...AUXILIARY.filter((app) => app !== "state-manager").map((app) =>
            fromConfig(`../${app}/wrangler.jsonc`, `chorus-${app}`, app),
          ),
        ],
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

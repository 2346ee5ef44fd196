import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { configDefaults, defineConfig } from "vitest/config";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { CONSUMER_BUNDLE, CONSUMER_DIR } from "./test/global-setup.ts";

/** The tests of the state manager as deployed, with the benchmark floors off. */
const FLOORS_OFF = ["test/bench-floors-off.test.ts"];

/** The tests of change delivery, with the test consumer configured. */
const DELIVERY = ["test/delivery-cursor.test.ts", "test/delivery-pause.test.ts"];

/**
 * The delivery test that aborts every object while a delivery is in flight, in a project of its
 * own: twice in CI the run stalled right after it, before the next file of its project started
 * (see packages/stall-guard), and alone in its project, as it was before, it never did.
 */
const DELIVERY_ABORT = ["test/delivery.test.ts"];

/** The tests of review notifications, against fake Slack and GitHub servers. */
const NOTIFY = ["test/notifications.test.ts"];

/** Fake Slack and GitHub APIs (plain JS, nothing to bundle): the state manager's outbound. */
const FAKE_NOTIFY = {
  name: "chorus-test-fake-notify",
  modules: true,
  scriptPath: "./test/fixtures/fake-notify/index.js",
  compatibilityDate: "2025-01-01",
};

/** What a project's configuration may set beyond wrangler.jsonc. */
type MiniflareOptions = {
  bindings?: Record<string, unknown>;
  serviceBindings?: Record<string, unknown>;
  outboundService?: string;
  workers?: Array<ReturnType<typeof changeConsumer> | typeof FAKE_NOTIFY>;
};

/**
 * wrangler.jsonc binds AGENTS and DASHBOARD (apps/agents) as its change consumers; these tests
 * load no agents worker, so the bindings answer 503 and delivery goes only where a project's CHANGE_CONSUMERS
 * says (none, or the test consumer).
 */
const WITHOUT_AGENTS = {
  bindings: { CHANGE_CONSUMERS: "" },
  serviceBindings: {
    AGENTS: () => new Response("no agents worker in these tests", { status: 503 }),
    DASHBOARD: () => new Response("no agents worker in these tests", { status: 503 }),
  },
};

/**
 * The state manager as its wrangler.jsonc declares it, in workerd.
 * @param miniflare what the tests' configuration sets beyond wrangler.jsonc
 */
function stateManager(miniflare: MiniflareOptions = {}) {
  return cloudflareTest({
    wrangler: { configPath: "./wrangler.jsonc" },
    miniflare: {
      ...miniflare,
      bindings: { ...WITHOUT_AGENTS.bindings, ...miniflare.bindings },
      serviceBindings: { ...WITHOUT_AGENTS.serviceBindings, ...miniflare.serviceBindings },
    },
  });
}

/** The test change consumer as an auxiliary worker, running the bundle globalSetup built. */
function changeConsumer() {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(`${CONSUMER_DIR}/wrangler.jsonc`);
  const { modulesRules: _bundled, ...options } = workerOptions;
  return {
    ...options,
    name: "chorus-test-change-consumer",
    modules: true,
    scriptPath: CONSUMER_BUNDLE,
  };
}

/** Every commit goes to the test consumer, which retries after 50 ms, at most 400 ms. */
function withConsumer() {
  return stateManager({
    bindings: {
      BENCH_FLOORS: "1",
      CHANGE_CONSUMERS: "TEST_CONSUMER",
      CHANGE_RETRY_FIRST_MS: "50",
      CHANGE_RETRY_MAX_MS: "400",
    },
    serviceBindings: {
      TEST_CONSUMER: { name: "chorus-test-change-consumer", entrypoint: "ChangeConsumer" },
    },
    workers: [changeConsumer()],
  });
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
        plugins: [stateManager({ bindings: { BENCH_FLOORS: "1" } })],
        test: {
          name: "floors on",
          include: ["test/**/*.test.ts"],
          exclude: [
            ...configDefaults.exclude,
            ...FLOORS_OFF,
            ...DELIVERY,
            ...DELIVERY_ABORT,
            ...NOTIFY,
          ],
        },
      },
      {
        extends: true,
        // wrangler.jsonc's own BENCH_FLOORS: what a deployment gets.
        plugins: [stateManager()],
        test: { name: "floors off", include: FLOORS_OFF },
      },
      {
        extends: true,
        plugins: [withConsumer()],
        test: { name: "delivery", include: DELIVERY, globalSetup: ["./test/global-setup.ts"] },
      },
      {
        extends: true,
        plugins: [withConsumer()],
        test: {
          name: "delivery abort",
          include: DELIVERY_ABORT,
          globalSetup: ["./test/global-setup.ts"],
        },
      },
      {
        extends: true,
        // Both notifiers configured, their APIs faked; retries after 50 ms, at most 400 ms.
        plugins: [
          stateManager({
            bindings: {
              SLACK_TOKEN: "xoxb-test",
              SLACK_CHANNEL: "#releases",
              SLACK_API_URL: "http://fake.test/slack/api",
              GITHUB_TOKEN: "ghp-test",
              GITHUB_REPOSITORY: "acme/app",
              GITHUB_API_URL: "http://fake.test/github",
              CHANGE_RETRY_FIRST_MS: "50",
              CHANGE_RETRY_MAX_MS: "400",
            },
            outboundService: FAKE_NOTIFY.name,
            serviceBindings: { FAKE_NOTIFY: FAKE_NOTIFY.name },
            workers: [FAKE_NOTIFY],
          }),
        ],
        test: { name: "notifications", include: NOTIFY },
      },
    ],
    coverage: { provider: "istanbul", include: ["src/**/*.ts"] },
  },
});

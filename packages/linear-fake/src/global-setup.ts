import type { TestProject } from "vitest/node";
import { startFakeLinear } from "./server.ts";

/** The API key and webhook secret of the fake the tests run against. */
const TEST_KEYS = { apiKey: "lin_api_test", webhookSecret: "lin_wh_test" } as const;

declare module "vitest" {
  export interface ProvidedContext {
    /** the fake Linear's base URL, e.g. `http://127.0.0.1:43121` */
    linearUrl: string;
    /** the API key it expects in `Authorization` */
    linearApiKey: string;
    /** the secret it signs its webhooks with */
    linearWebhookSecret: string;
  }
}

/**
 * A vitest `globalSetup`: starts the fake Linear in Node for the whole run and provides its URL
 * and keys, which a Workers config passes on as bindings (`cloudflareTest(({ inject }) => …)`);
 * the workers reach it over loopback.
 * @param project the test project
 * @returns the teardown
 * @example
 * test: { globalSetup: ["@chorus/linear-fake/global-setup"] }
 */
export default async function startLinear(project: TestProject): Promise<() => Promise<void>> {
  const linear = await startFakeLinear(TEST_KEYS);
  project.provide("linearUrl", linear.url);
  project.provide("linearApiKey", TEST_KEYS.apiKey);
  project.provide("linearWebhookSecret", TEST_KEYS.webhookSecret);
  return () => linear.close();
}

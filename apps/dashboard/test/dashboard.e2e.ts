// Run with node's test runner (`node --import tsx --test`), like the devstack's tests: headless
// Chromium against the local stack, nothing mocked.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type Harness, screenshot, signedIn, startHarness } from "./harness.ts";

describe("the dashboard", () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(() => harness?.close());

  test("signs in with a token and shows the overview, first render under a second", async () => {
    const { workflow } = await harness.admin.createWorkflow({
      name: "Release 1.4",
      context: { tags: ["release"] },
      initialState: { status: "running", tasks: { build: { id: "build", status: "pending" } } },
    });
    await harness.admin.updateWorkflow(workflow.id, { status: "running" });
    const page = await signedIn(harness);
    await page.getByRole("heading", { name: "Recent activity" }).waitFor();
    await page.getByRole("link", { name: "Release 1.4" }).first().waitFor();
    const paint = await page.evaluate(
      () => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? -1,
    );
    console.log(`first render (first contentful paint): ${paint.toFixed(0)} ms`);
    await screenshot(page, "dashboard-overview");
    await page.close();
  });
});

// Run with node's test runner, like dashboard.e2e.ts: Debian's chromium, headless, against the
// local stack (the agents worker's Integration Dashboard included); nothing mocked.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type Harness, screenshot, signedIn, startHarness } from "./harness.ts";

// The budget for a commit by another client to show on the page.
const LIVE_MS = 1000;

describe("the live overview", () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(() => harness?.close());

  test("follows the overview's WebSocket: another client's commit shows within a second, no polling", async () => {
    const { workflow } = await harness.admin.createWorkflow({
      name: "Overview live",
      initialState: { data: { step: 1 } },
    });
    await harness.admin.updateWorkflow(workflow.id, { status: "running" });
    const page = await signedIn(harness);
    // The signed-in page opens its socket after a ticket request; once it is live, no socket
    // the listeners below see can be that page's.
    await page.locator("#live:not(.off)").waitFor();
    // Watched from a fresh load of the signed-in page: its sockets and its overview requests.
    const sockets: string[] = [];
    let frames = 0;
    page.on("websocket", (socket) => {
      sockets.push(socket.url());
      socket.on("framereceived", () => {
        frames += 1;
      });
    });
    const polls: number[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname === "/api/overview") polls.push(performance.now());
    });
    await page.reload();
    await page.locator("#live:not(.off)").waitFor();
    const activity = page.locator('section[aria-labelledby="ov-activity"] tr', {
      hasText: "Overview live",
    });
    await activity.first().waitFor();
    assert.equal(sockets.length, 1, `sockets: ${sockets.join(", ")}`);
    assert.match(sockets[0] ?? "", /^ws:\/\/[^/]+\/api\/overview\/live\?ticket=chorus_ticket_/);
    assert.ok(!sockets[0]?.includes(harness.stack.token), "the token is in no URL");

    const pollsBefore = polls.length;
    const committed = await harness.admin.patch(
      workflow.id,
      [{ op: "replace", path: "/data/step", value: 2 }],
      { changeDescription: "step two" },
    );
    const acknowledged = performance.now();
    const version = `v${committed.version.version}`;
    const row = activity.filter({ has: page.locator(`td:text-is("${version}")`) });
    await row.waitFor();
    const ms = performance.now() - acknowledged;
    console.log(
      `another client's commit on the overview after ${ms.toFixed(0)} ms (budget ${LIVE_MS} ms)`,
    );
    assert.ok(ms < LIVE_MS, `the commit appeared after ${ms} ms`);
    assert.match(await row.innerText(), /step two/);
    // It came over the socket: no GET /api/overview since the socket opened.
    assert.equal(polls.length, pollsBefore, "the page polled while its socket was open");
    assert.ok(frames >= 2, `frames received: ${frames}`);
    await screenshot(page, "overview-live");
    await page.context().close();
  });
});

// Run with node's test runner (`node --import tsx --test`), like the devstack's tests: Debian's
// chromium, headless, against the local stack (all three workers in workerd); nothing mocked.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ChorusClient, ConflictError } from "@chorus/client";
import type { Page } from "playwright-core";
import { type Harness, screenshot, signedIn, startHarness } from "./harness.ts";

// The budgets. Time to a live update is measured from the other client's acknowledged
// commit to the page showing the version.
const FIRST_RENDER_MS = 1000;
const LIVE_MS = 1000;

const initialState = {
  status: "running",
  data: { step: 1 },
  tasks: { build: { id: "build", status: "pending" }, docs: { id: "docs", status: "pending" } },
};

/** Milliseconds from navigation to the page's first drawing of its data. */
function firstRender(page: Page): Promise<number> {
  return page.evaluate(
    () => performance.getEntriesByName("chorus:first-render")[0]?.startTime ?? -1,
  );
}

/** One API call with a token: the agent and task routes, which @chorus/client does not cover. */
async function send<T>(
  harness: Harness,
  path: string,
  body: unknown,
  token = harness.stack.token,
): Promise<T> {
  const response = await fetch(`${harness.stack.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  assert.ok(response.ok, `${path}: ${response.status} ${await response.clone().text()}`);
  return (await response.json()) as T;
}

/** The text of the state tree's node at a pointer. */
function node(page: Page, pointer: string) {
  return page.locator(`#state [data-path="${pointer}"]`).first();
}

describe("the dashboard", () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(() => harness?.close());

  test("is served at / beside the API, which answers as before", async () => {
    const page = await fetch(`${harness.stack.url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
    assert.match(await page.text(), /<script type="module" src="\/app.js">/);
    const health = await fetch(`${harness.stack.url}/health`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, "ok");
    const missing = await fetch(`${harness.stack.url}/no/such/page`);
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get("content-type"), "application/problem+json");
    const unauthenticated = await fetch(`${harness.stack.url}/api/overview`);
    assert.equal(unauthenticated.status, 401);
  });

  test("refuses a bad token, signs in with a good one, and shows the overview", async () => {
    const { workflow } = await harness.admin.createWorkflow({
      name: "Release 1.4",
      context: { tags: ["release"] },
      initialState,
    });
    await harness.admin.updateWorkflow(workflow.id, { status: "running" });
    const context = await harness.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${harness.stack.url}/`);
    // By keyboard: the token field has the focus, Enter submits.
    await page.keyboard.type("chorus_not-a-token");
    await page.keyboard.press("Enter");
    await page.getByRole("alert").filter({ hasText: "not valid" }).waitFor();
    await page.getByLabel("API token").fill(harness.stack.token);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Recent activity" }).waitFor();
    await page.getByRole("link", { name: "Release 1.4" }).first().waitFor();
    // The token is in sessionStorage, not in any URL the page asked for.
    assert.equal(
      await page.evaluate(() => sessionStorage.getItem("chorus.token")),
      harness.stack.token,
    );
    await context.close();

    // Fresh loads of a signed-in page, timed; the best of five, as other work shares the cores.
    const timed = await signedIn(harness);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      await timed.reload();
      await timed.getByRole("heading", { name: "Recent activity" }).waitFor();
      times.push(await firstRender(timed));
    }
    const ms = Math.min(...times);
    console.log(
      `first render of the overview: ${times.map((t) => t.toFixed(0)).join(", ")} ms (budget ${FIRST_RENDER_MS} ms)`,
    );
    assert.ok(ms > 0 && ms < FIRST_RENDER_MS, `first render took ${times.join(", ")} ms`);
    await timed.context().close();
  });

  test("lists workflows by status and tag", async () => {
    const { workflow } = await harness.admin.createWorkflow({
      name: "Tagged",
      context: { tags: ["nightly"] },
    });
    const page = await signedIn(harness, "#/workflows");
    await page.getByLabel("Tag").fill("nightly");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.getByRole("link", { name: "Tagged" }).waitFor();
    assert.equal(await page.getByRole("link", { name: "Release 1.4" }).count(), 0);
    await page.getByLabel("Status").selectOption("completed");
    await page.getByText("No workflows.").waitFor();
    assert.match(page.url(), /status=completed/);
    await page.goto(`${harness.stack.url}/#/workflows?status=pending`);
    await page.getByRole("link", { name: "Tagged" }).click();
    await page.waitForURL(new RegExp(`#/workflows/${workflow.id}$`));
    await page.context().close();
  });

  test("shows a workflow, and another client's commit within a second; diffs two versions", async () => {
    const { workflow } = await harness.admin.createWorkflow({ name: "Live", initialState });
    const page = await signedIn(harness, `#/workflows/${workflow.id}`);
    await page.locator("#live:not(.off)").waitFor();
    assert.match(await node(page, "/data/step").innerText(), /step: 1/);
    // Collapsed and expanded by keyboard; each node's pointer is on it and copyable.
    await page.locator('#state details[data-path="/tasks/build"] > summary').focus();
    await page.keyboard.press("Enter");
    await node(page, "/tasks/build/status").waitFor();
    await page.getByRole("button", { name: "Copy path /tasks/build/status" }).click();
    await page.getByRole("status").filter({ hasText: "/tasks/build/status" }).waitFor();

    await harness.admin.commit(workflow.id, {
      state: { ...initialState, data: { step: 2 } },
      baseVersion: 1,
      changeDescription: "step two",
    });
    const acknowledged = performance.now();
    await page.locator('#history tr[data-version="2"]').waitFor();
    await page.locator('#state [data-path="/data/step"]', { hasText: "step: 2" }).waitFor();
    const ms = performance.now() - acknowledged;
    console.log(
      `another client's commit on the page after ${ms.toFixed(0)} ms (budget ${LIVE_MS} ms)`,
    );
    assert.ok(ms < LIVE_MS, `the commit appeared after ${ms} ms`);
    assert.match(await page.locator('#history tr[data-version="2"]').innerText(), /step two/);

    await page.getByRole("button", { name: "Diff from v1" }).click();
    await page.getByRole("button", { name: "Diff to v2" }).click();
    const row = page.locator('#diff-output tr[data-path="/data/step"]');
    await row.waitFor();
    assert.match(await row.innerText(), /\/data\/step\s+changed\s+1\s+2/);
    await page.context().close();
  });

  test("resolves a conflict with an edited value, restores a snapshot", async () => {
    const { workflow } = await harness.admin.createWorkflow({ name: "Conflicted", initialState });
    const id = workflow.id;
    await harness.admin.commit(id, {
      state: { ...initialState, data: { step: 2 } },
      baseVersion: 1,
    });
    await assert.rejects(
      harness.admin.commit(id, { state: { ...initialState, data: { step: 3 } }, baseVersion: 1 }),
      ConflictError,
    );
    const page = await signedIn(harness, `#/workflows/${id}`);
    const conflict = page.locator("form[data-conflict]");
    await conflict.waitFor();
    assert.match(
      await conflict.locator('tr[data-path="/data/step"]').innerText(),
      /\/data\/step\s+1\s+2\s+3/,
    );
    await conflict.getByLabel("edited values").check();
    await conflict.getByLabel("Edited value of /data/step").fill("42");
    await conflict.getByRole("button", { name: "Resolve" }).click();
    await page.locator('#state [data-path="/data/step"]', { hasText: "step: 42" }).waitFor();
    await page.getByText("No open conflicts.").waitFor();
    await page.locator('#history [data-origin="resolution"]').waitFor();

    await page.getByLabel("Description").fill("the answer");
    await page.getByRole("button", { name: "Take snapshot" }).click();
    const snapshotRow = page.locator("#snapshots tr[data-snapshot]", { hasText: "the answer" });
    await snapshotRow.waitFor();
    const head = await harness.admin.getState(id);
    await harness.admin.commit(id, {
      state: { ...initialState, data: { step: 99 } },
      baseVersion: head.version,
    });
    await page.locator('#state [data-path="/data/step"]', { hasText: "step: 99" }).waitFor();
    await snapshotRow.getByRole("button", { name: /^Restore/ }).click();
    await page.locator('#state [data-path="/data/step"]', { hasText: "step: 42" }).waitFor();
    await page.locator('#history [data-origin="restore"]').waitFor();
    assert.deepEqual((await harness.admin.getState(id)).state, {
      ...initialState,
      data: { step: 42 },
    });
    await page.context().close();
  });

  test("shows the tasks by status and the agents with their leases and heartbeats", async () => {
    const { workflow } = await harness.admin.createWorkflow({ name: "Release 1.5", initialState });
    const at = `/api/workflows/${workflow.id}`;
    for (const [id, title] of [
      ["compile", "Compile the release"],
      ["notes", "Write the notes"],
    ]) {
      await send(harness, `${at}/tasks`, { id, type: "build", title });
    }
    const { agent, token } = await send<{ agent: { id: string }; token: string }>(
      harness,
      "/api/agents",
      {
        name: "builder",
        type: "ci",
        capabilities: [],
        workflowIds: [workflow.id],
      },
    );
    const page = await signedIn(harness, `#/workflows/${workflow.id}`);
    await page.locator('#tasks [data-status="ready"] li[data-task="compile"]').waitFor();
    const agentRow = page.locator(`#agents tr[data-agent="${agent.id}"]`);
    await agentRow.waitFor();
    assert.match(await agentRow.innerText(), /builder\s+ci\s+idle\s+0 \/ 1\s+\d+ s ago/);

    const { claims } = await send<{ claims: { task: { id: string }; lease: { id: string } }[] }>(
      harness,
      `${at}/tasks/claim`,
      { agentId: agent.id },
      token,
    );
    const [claim] = claims;
    assert.ok(claim);
    const claimed = page.locator(`#tasks [data-status="claimed"] li[data-task="${claim.task.id}"]`);
    await claimed.waitFor();
    assert.match(await claimed.innerText(), /lease ends in \d+ s/);
    await agentRow.filter({ hasText: /busy\s*1 \/ 1/ }).waitFor();

    await send(
      harness,
      `${at}/tasks/${claim.task.id}/heartbeat`,
      { leaseId: claim.lease.id },
      token,
    );
    await send(
      harness,
      `${at}/tasks/${claim.task.id}/complete`,
      { leaseId: claim.lease.id },
      token,
    );
    await page
      .locator(`#tasks [data-status="completed"] li[data-task="${claim.task.id}"]`)
      .waitFor();
    await agentRow.filter({ hasText: /idle\s*0 \/ 1/ }).waitFor();
    await page.context().close();
  });

  test("creates a branch, merges it, and follows the merge on the timeline", async () => {
    const { workflow } = await harness.admin.createWorkflow({ name: "Branching", initialState });
    const id = workflow.id;
    const page = await signedIn(harness, `#/workflows/${id}`);
    await page.locator("#live:not(.off)").waitFor();
    await page.getByLabel("New branch").fill("feature");
    await page.getByRole("button", { name: "Create branch" }).click();
    await page.locator('#branches tr[data-branch="feature"]').waitFor();
    // Both sides move, so the merge is a real one with two parents.
    const onFeature = await harness.admin.commit(id, {
      state: { ...initialState, data: { step: 1, feature: true } },
      branch: "feature",
      baseVersion: 1,
      changeDescription: "feature work",
    });
    const onMain = await harness.admin.commit(id, {
      state: { ...initialState, data: { step: 2 } },
      baseVersion: 1,
      changeDescription: "main work",
    });
    await page.locator(`#history tr[data-version="${onMain.version.version}"]`).waitFor();
    await page.getByRole("button", { name: "Merge feature" }).click();
    const merge = page.locator('#history tr:has([data-origin="merge"])');
    await merge.waitFor();
    const version = Number(await merge.getAttribute("data-version"));
    assert.ok(version > onMain.version.version);
    // The merge node has an edge to each parent: main's head and the branch's commit.
    const edges = await page
      .locator("#history path[data-edge]")
      .evaluateAll((paths) => paths.map((path) => path.getAttribute("data-edge")));
    for (const parent of [onMain.version.version, onFeature.version.version]) {
      assert.ok(edges.includes(`${version}-${parent}`), `no edge ${version}-${parent} in ${edges}`);
    }
    await page.locator('#state [data-path="/data/feature"]').waitFor();
    await page.locator('#state [data-path="/data/step"]', { hasText: "step: 2" }).waitFor();
    await screenshot(page, "dashboard-workflow");
    await page.context().close();
  });

  test("approves one review and rejects another", async () => {
    const { workflow } = await harness.admin.createWorkflow({ name: "Reviewed", initialState });
    const id = workflow.id;
    // Made by another writer: the author of a change cannot approve it.
    const author = (await harness.admin.createToken({ name: "reviewee", role: "writer" })).token;
    const reviewee = new ChorusClient({ baseUrl: harness.stack.url, token: author });
    for (const name of ["fix", "risky"]) {
      await reviewee.createBranch(id, { name });
      await reviewee.commit(id, {
        state: { ...initialState, data: { step: 1, [name]: true } },
        branch: name,
        baseVersion: 1,
      });
      await send(
        harness,
        `/api/workflows/${id}/reviews`,
        { branch: name, title: `Review ${name}` },
        author,
      );
    }
    const page = await signedIn(harness, `#/workflows/${id}`);
    const row = (name: string) =>
      page.locator("#reviews tr[data-review]", { hasText: `Review ${name}` });
    await row("fix").waitFor();
    await page.getByRole("button", { name: "Approve Review fix" }).click();
    await row("fix")
      .filter({ hasText: "merged" })
      .waitFor({ timeout: 10_000 })
      .catch(async (error: unknown) => {
        const alert = await page.locator("#reviews [role=alert]").innerText();
        throw new Error(`${await row("fix").innerText()} | ${alert} | ${String(error)}`);
      });
    await page.getByRole("button", { name: "Reject Review risky" }).click();
    await row("risky").filter({ hasText: "rejected" }).waitFor();
    await page.locator('#state [data-path="/data/fix"]').waitFor();
    assert.equal(await page.locator('#state [data-path="/data/risky"]').count(), 0);
    await page.context().close();
  });

  test("shows the overview of everything above, live", async () => {
    const page = await signedIn(harness);
    await page.getByRole("heading", { name: "Recent activity" }).waitFor();
    await page.getByRole("link", { name: "Branching" }).first().waitFor();
    // Registered by the tasks test, with one task done.
    await page.getByRole("meter", { name: "load of builder" }).waitFor();
    await screenshot(page, "dashboard-overview");
    await page.context().close();
  });
});

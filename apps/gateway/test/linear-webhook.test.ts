import { env } from "cloudflare:workers";
import { linearIssueId, signLinearWebhook } from "@chorus/core";
import { FakeLinearControl, type WebhookDelivery } from "@chorus/linear-fake/control";
import { describe, expect, inject, it } from "vitest";
import { ADMIN, api, createWorkflow, expectStatus, type Problem, sampleState } from "./helpers.ts";

const SECRET = String((env as { LINEAR_WEBHOOK_SECRET?: string }).LINEAR_WEBHOOK_SECRET);
const HOOK = "/api/integrations/linear/webhook";

/** A workflow whose Linear agent has made the issue of task t1 (on a team of the test's own). */
async function syncedIssue() {
  const teamId = `team-${crypto.randomUUID().slice(0, 8)}`;
  const linear = new FakeLinearControl(inject("linearUrl"), teamId);
  const { id } = await createWorkflow(sampleState({ tasks: {} }));
  await expectStatus(
    api(`/api/workflows/${id}/agents`, {
      method: "POST",
      token: ADMIN,
      json: { type: "linear", config: { teamId } },
    }),
    201,
  );
  await expectStatus(
    api(`/api/workflows/${id}/state`, {
      method: "PATCH",
      token: ADMIN,
      contentType: "application/json-patch+json",
      body: JSON.stringify([
        { op: "add", path: "/tasks/t1", value: { id: "t1", status: "ready", title: "Hook me" } },
      ]),
    }),
    201,
  );
  const issueId = await linearIssueId(id, "t1");
  const deadline = Date.now() + 20_000;
  while (!(await linear.team()).issues.some((issue) => issue.id === issueId)) {
    if (Date.now() > deadline) expect.fail("the agent did not create the issue");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await linear.takeWebhooks();
  return { id, teamId, issueId, linear };
}

function deliver(delivery: WebhookDelivery, headers: Record<string, string> = {}) {
  return api(HOOK, {
    method: "POST",
    body: delivery.body,
    headers: { ...delivery.headers, ...headers },
  });
}

async function head(id: string): Promise<number> {
  const history = await expectStatus<{ versions: { version: number }[] }>(
    api(`/api/workflows/${id}/history?limit=1`, { token: ADMIN }),
    200,
  );
  return history.versions[0]?.version ?? 0;
}

describe("POST /api/integrations/linear/webhook", () => {
  it("commits a signed change to the task as `linear`, without a bearer token", async () => {
    const { id, teamId, issueId, linear } = await syncedIssue();
    const { delivery } = await linear.edit(issueId, { stateId: `${teamId}-done` });
    const taken = await expectStatus<{ committed: number }>(deliver(delivery), 200);
    const task = await expectStatus<{ status: string }>(
      api(`/api/workflows/${id}/tasks/t1`, { token: ADMIN }),
      200,
    );
    expect(task.status).toBe("completed");
    const history = await expectStatus<{ versions: { version: number; author: string }[] }>(
      api(`/api/workflows/${id}/history?limit=1`, { token: ADMIN }),
      200,
    );
    expect(history.versions[0]).toMatchObject({ version: taken.committed, author: "linear" });
    // The agent shows its sync: the issue, nothing waiting, no error.
    const { agents } = await expectStatus<{ agents: { agentId: string }[] }>(
      api(`/api/workflows/${id}/agents`, { token: ADMIN }),
      200,
    );
    const shown = await expectStatus<{ agent: { type: string; detail: unknown } }>(
      api(`/api/workflows/${id}/agents/${agents[0]?.agentId}`, { token: ADMIN }),
      200,
    );
    expect(shown.agent).toMatchObject({ type: "linear", detail: { issues: 1, pending: [] } });
  });

  it("refuses a bad signature, a stale timestamp and a replay, committing nothing", async () => {
    const { id, issueId, linear } = await syncedIssue();
    const before = await head(id);
    const { delivery } = await linear.edit(issueId, { title: "Changed" });
    const forged = await expectStatus<Problem>(
      deliver(delivery, { "Linear-Signature": await signLinearWebhook(delivery.body, "wrong") }),
      401,
    );
    expect(forged.errors?.[0]?.path).toBe("/headers/linear-signature");
    await expectStatus(deliver(delivery, { "Linear-Signature": "" }), 401);
    const tampered = { ...delivery, body: delivery.body.replace("Changed", "Tampered") };
    await expectStatus(deliver(tampered), 401);
    const stale = await linear.edit(issueId, { title: "Late" }, Date.now() - 61_000);
    const staleProblem = await expectStatus<Problem>(deliver(stale.delivery), 401);
    expect(staleProblem.errors?.[0]?.path).toBe("/webhookTimestamp");
    expect(await head(id)).toBe(before);
    await expectStatus(deliver(delivery), 200);
    const afterOne = await head(id);
    expect(afterOne).toBe(before + 1);
    await expectStatus(deliver(delivery), 409);
    expect(await head(id)).toBe(afterOne);
  });

  it("refuses an issue no task mirrors with 404, and takes non-issue events without a commit", async () => {
    const body = JSON.stringify({
      action: "update",
      type: "Issue",
      data: { id: crypto.randomUUID(), title: "Stranger" },
      webhookTimestamp: Date.now(),
    });
    const signature = await signLinearWebhook(body, SECRET);
    await expectStatus(
      api(HOOK, { method: "POST", body, headers: { "Linear-Signature": signature } }),
      404,
    );
    const comment = JSON.stringify({
      action: "create",
      type: "Comment",
      data: { id: crypto.randomUUID() },
      webhookTimestamp: Date.now(),
    });
    const signed = await signLinearWebhook(comment, SECRET);
    const ignored = await expectStatus<{ committed: null }>(
      api(HOOK, { method: "POST", body: comment, headers: { "Linear-Signature": signed } }),
      200,
    );
    expect(ignored.committed).toBeNull();
  });
});

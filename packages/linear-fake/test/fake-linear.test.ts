import { randomUUID } from "node:crypto";
import { LinearClient, LinearErrorType, RatelimitedLinearError } from "@linear/sdk";
import { LinearWebhookClient } from "@linear/sdk/webhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeLinearControl } from "../src/control.ts";
import { type RunningFakeLinear, startFakeLinear } from "../src/index.ts";

const apiKey = "lin_api_fake";
const webhookSecret = "lin_wh_fake";
let linear: RunningFakeLinear;
let client: LinearClient;

beforeAll(async () => {
  linear = await startFakeLinear({ apiKey, webhookSecret });
  client = new LinearClient({ apiKey, apiUrl: linear.apiUrl });
});
afterAll(() => linear.close());

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable("expected a failure"),
    (error: unknown) => error,
  );
}

describe("fake Linear, through the real @linear/sdk", () => {
  it("lists a team's workflow states", async () => {
    const states = await client.workflowStates({ filter: { team: { id: { eq: "t-states" } } } });
    expect(states.nodes.map((s) => [s.name, s.type, s.position])).toEqual([
      ["Backlog", "backlog", 0],
      ["Todo", "unstarted", 1],
      ["In Progress", "started", 2],
      ["In Review", "started", 3],
      ["Done", "completed", 4],
      ["Canceled", "canceled", 5],
    ]);
  });

  it("creates, reads and updates an issue, recording each request", async () => {
    const id = randomUUID();
    const created = await client.createIssue({
      id,
      teamId: "t-crud",
      title: "Write the fake",
      stateId: "t-crud-todo",
      labelIds: ["l1"],
    });
    expect(created.issueId).toBe(id);
    await client.updateIssue(id, { title: "Write it well", stateId: "t-crud-done" });
    const read = await client.issue(id);
    expect([read.title, read.stateId, read.labelIds]).toEqual([
      "Write it well",
      "t-crud-done",
      ["l1"],
    ]);
    const found = await client.issues({ filter: { id: { eq: id } } });
    expect(found.nodes.map((issue) => issue.id)).toEqual([id]);
    const none = await client.issues({ filter: { id: { eq: randomUUID() } } });
    expect(none.nodes).toEqual([]);
    const { requests } = linear.fake.team("t-crud");
    expect(requests.map((r) => [r.operation, r.answer])).toEqual([
      ["createIssue", "ok"],
      ["updateIssue", "ok"],
      ["issue", "ok"],
      ["issues", "ok"],
    ]);
  });

  it("refuses a second create with the same id, and a wrong API key", async () => {
    const id = randomUUID();
    await client.createIssue({ id, teamId: "t-dup", title: "once" });
    const error = await caught(client.createIssue({ id, teamId: "t-dup", title: "twice" }));
    expect(error).toMatchObject({ type: LinearErrorType.InvalidInput });
    const stranger = new LinearClient({ apiKey: "lin_api_wrong", apiUrl: linear.apiUrl });
    expect(await caught(stranger.createIssue({ teamId: "t-dup", title: "x" }))).toMatchObject({
      type: LinearErrorType.AuthenticationError,
    });
    expect(linear.fake.team("t-dup").issues).toHaveLength(1);
  });

  it("rate-limits as Linear does: HTTP 400, RATELIMITED, the reset in a header", async () => {
    const control = new FakeLinearControl(linear.url, "t-rate");
    const resetAt = Date.now() + 30_000;
    await control.faults({ rateLimit: { count: 2, resetAt } });
    for (let i = 0; i < 2; i++) {
      const error = await caught(client.createIssue({ teamId: "t-rate", title: `r${i}` }));
      expect(error).toBeInstanceOf(RatelimitedLinearError);
      expect(error).toMatchObject({ status: 400, requestsResetAt: resetAt, requestsRemaining: 0 });
    }
    await client.createIssue({ teamId: "t-rate", title: "after" });
    const { issues, requests } = await control.team();
    expect(issues.map((issue) => issue.title)).toEqual(["after"]);
    expect(requests.map((r) => r.answer)).toEqual(["rate-limited", "rate-limited", "ok"]);
  });

  it("answers 503 through an outage, and can lose the answer of an applied mutation", async () => {
    const control = new FakeLinearControl(linear.url, "t-down");
    await control.faults({ outage: true });
    expect(await caught(client.createIssue({ teamId: "t-down", title: "x" }))).toMatchObject({
      type: LinearErrorType.NetworkError,
    });
    await control.faults({ dropResponses: 1 });
    const id = randomUUID();
    await caught(client.createIssue({ id, teamId: "t-down", title: "applied" }));
    expect((await client.issue(id)).title).toBe("applied");
  });

  it("signs its webhooks so that Linear's own verifier accepts them", async () => {
    const control = new FakeLinearControl(linear.url, "t-hook");
    const id = randomUUID();
    await client.createIssue({ id, teamId: "t-hook", title: "hooked" });
    const { delivery } = await control.edit(id, { title: "edited", assigneeId: "u1" });
    const verifier = new LinearWebhookClient(webhookSecret);
    const signature = delivery.headers["Linear-Signature"] ?? "";
    const payload = verifier.parseData(Buffer.from(delivery.body), signature);
    expect(payload).toMatchObject({
      action: "update",
      type: "Issue",
      data: { id, title: "edited", assigneeId: "u1" },
      updatedFrom: { title: "hooked", assigneeId: null },
    });
    const taken = await control.takeWebhooks();
    expect(taken.map((d) => JSON.parse(d.body).action)).toEqual(["create", "update"]);
    expect(await control.takeWebhooks()).toEqual([]);
    expect(() =>
      new LinearWebhookClient("other").parseData(Buffer.from(delivery.body), signature),
    ).toThrow();
  });
});

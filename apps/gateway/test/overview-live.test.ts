import type { Overview } from "@chorus/core";
import { describe, expect, it } from "vitest";
import { ADMIN, api, createWorkflow, expectStatus, issueToken, type Problem } from "./helpers.ts";
import { commitMany, events, WsClient } from "./streams.ts";

type Ticket = { ticket: string; expiresAt: number };

async function overviewTicket(token = ADMIN): Promise<string> {
  const issued = await expectStatus<Ticket>(
    api("/api/overview/tickets", { method: "POST", token }),
    201,
  );
  expect(issued.ticket).toMatch(/^chorus_ticket_/);
  return issued.ticket;
}

/** `GET /api/overview/live?ticket=` with no Authorization, as a browser's WebSocket sends it. */
function live(ticket: string): Promise<Response> {
  return api(`/api/overview/live?ticket=${encodeURIComponent(ticket)}`, {
    headers: { upgrade: "websocket" },
  });
}

async function openLive(token = ADMIN): Promise<WsClient> {
  const response = await live(await overviewTicket(token));
  expect(response.status).toBe(101);
  return new WsClient(response.webSocket as WebSocket);
}

function overviews(client: WsClient): Overview[] {
  return client.messages.filter((text) => text.startsWith("{")).map((text) => JSON.parse(text));
}

function versionsOf(overview: Overview, workflowId: string): number[] {
  return overview.activity.filter((e) => e.workflowId === workflowId).map((e) => e.version);
}

describe("GET /api/overview/live", () => {
  it("sends the overview, then pushes it again after another client's commit", async () => {
    const { id } = await createWorkflow();
    const reader = (await issueToken("reader")).token;
    const client = await openLive(reader);
    await client.until(() => overviews(client).length >= 1, "the first overview");

    const committedAt = Date.now();
    await commitMany(id, 1);
    await client.until(
      () => overviews(client).some((o) => versionsOf(o, id).includes(2)),
      "an overview with version 2",
      10_000,
    );
    const pushed = overviews(client).find((o) => versionsOf(o, id).includes(2));
    expect(pushed?.generatedAt).toBeGreaterThanOrEqual(committedAt);
    expect(versionsOf(pushed as Overview, id)).toEqual([2, 1]);

    client.socket.send("ping");
    await client.until(() => client.messages.includes("pong"), "pong");
    client.close();
  });

  it("takes a ticket once, and only an overview ticket", async () => {
    const { id } = await createWorkflow();
    const ticket = await overviewTicket();
    const opened = await live(ticket);
    expect(opened.status).toBe(101);
    new WsClient(opened.webSocket as WebSocket).close();

    const reused = await expectStatus<Problem>(live(ticket), 401);
    expect(reused.detail).toBe("the ticket is not valid, or was used already");
    expect(reused.errors).toEqual([{ path: "/query/ticket", message: reused.detail }]);

    const workflowTicket = await expectStatus<Ticket>(
      api(`/api/workflows/${id}/tickets`, { method: "POST", token: ADMIN }),
      201,
    );
    const elsewhere = await expectStatus<Problem>(live(workflowTicket.ticket), 403);
    expect(elsewhere.detail).toBe(`the ticket is for workflow ${id}`);

    const atWorkflow = await expectStatus<Problem>(
      events(id, `?ticket=${await overviewTicket()}`, {}, undefined),
      403,
    );
    expect(atWorkflow.detail).toBe("the ticket is for the overview");
  });

  it("refuses a token limited to some workflows, and a request that is no upgrade", async () => {
    const { id } = await createWorkflow();
    const limited = (await issueToken("reader", [id])).token;
    await expectStatus(api("/api/overview/tickets", { method: "POST", token: limited }), 403);
    const plain = await expectStatus<Problem>(api("/api/overview/live", { token: ADMIN }), 426);
    expect(plain.errors).toEqual([{ path: "/headers/upgrade", message: "expected websocket" }]);
  });

  it("closes the socket with 4401 when its token is revoked", async () => {
    const issued = await issueToken("reader");
    const client = await openLive(issued.token);
    await client.until(() => overviews(client).length >= 1, "the first overview");
    await expectStatus(api(`/api/tokens/${issued.id}`, { method: "DELETE", token: ADMIN }), 204);
    await client.untilClosed();
    expect(client.closed?.code).toBe(4401);
  });
});

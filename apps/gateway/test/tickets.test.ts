import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { hashSecret, shardOfHash } from "../src/token-secret.ts";
import { ADMIN, api, createWorkflow, expectStatus, issueToken, type Problem } from "./helpers.ts";
import { commitMany, events, SseReader, subscribeRequest, WsClient } from "./streams.ts";

type Ticket = { ticket: string; expiresAt: number };

async function ticketFor(id: string, token = ADMIN): Promise<Ticket> {
  return expectStatus<Ticket>(api(`/api/workflows/${id}/tickets`, { method: "POST", token }), 201);
}

/** `GET …/events?ticket=` with no Authorization, as a browser's EventSource sends it. */
function eventsWithTicket(id: string, ticket: string, query = ""): Promise<Response> {
  return events(id, `?ticket=${encodeURIComponent(ticket)}${query}`, {}, undefined);
}

describe("stream tickets", () => {
  it("issues none for a workflow that does not exist (404)", async () => {
    for (const id of ["wf_nope", "..%2F..%2Fetc", "%0D%0AX-Injected:%201"]) {
      const response = await api(`/api/workflows/${id}/tickets`, { method: "POST", token: ADMIN });
      expect(response.status, id).toBe(404);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      await response.body?.cancel();
    }
  });

  it("opens one stream of its workflow, once, in place of the bearer token", async () => {
    const { id } = await createWorkflow();
    const reader = await issueToken("reader", [id]);
    const before = Date.now();
    const { ticket, expiresAt } = await ticketFor(id, reader.token);
    expect(ticket).toMatch(/^chorus_ticket_[A-Za-z0-9_-]{43}$/);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 60_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 60_000);

    const response = await eventsWithTicket(id, ticket);
    expect(response.status).toBe(200);
    const stream = new SseReader(response).read();
    await commitMany(id, 1);
    await stream.untilVersion(2);
    await stream.cancel();

    const reused = await expectStatus<Problem>(eventsWithTicket(id, ticket), 401);
    expect(reused.detail).toBe("the ticket is not valid, or was used already");
    expect(reused.errors).toEqual([{ path: "/query/ticket", message: reused.detail }]);

    const upgrade = await api(
      `/api/workflows/${id}/subscribe?ticket=${(await ticketFor(id, reader.token)).ticket}`,
      { headers: { upgrade: "websocket" } },
    );
    expect(upgrade.status).toBe(101);
    new WsClient(upgrade.webSocket as WebSocket).close();
  });

  it("refuses a ticket for another workflow (403), an expired one and one of a revoked token (401)", async () => {
    const { id } = await createWorkflow();
    const other = await createWorkflow();
    const elsewhere = await expectStatus<Problem>(
      eventsWithTicket(other.id, (await ticketFor(id)).ticket),
      403,
    );
    expect(elsewhere.detail).toBe(`the ticket is for workflow ${id}`);

    const expiring = await ticketFor(id);
    const hash = await hashSecret(expiring.ticket);
    await runInDurableObject(
      env.TOKENS.get(env.TOKENS.idFromName(shardOfHash(hash))),
      (_, state) => {
        state.storage.sql.exec(
          "UPDATE tickets SET expires_at = ? WHERE hash = ?",
          Date.now() - 1,
          hash,
        );
      },
    );
    const expired = await expectStatus<Problem>(eventsWithTicket(id, expiring.ticket), 401);
    expect(expired.detail).toBe("the ticket expired; a ticket is valid for 60 s");

    const reader = await issueToken("reader");
    const orphan = await ticketFor(id, reader.token);
    await expectStatus(api(`/api/tokens/${reader.id}`, { method: "DELETE", token: ADMIN }), 204);
    const revoked = await expectStatus<Problem>(eventsWithTicket(id, orphan.ticket), 401);
    expect(revoked.detail).toBe("the token the ticket was issued to was revoked");
  });

  it("is accepted nowhere else, and is no bearer token", async () => {
    const { id } = await createWorkflow();
    const { ticket } = await ticketFor(id);
    await expectStatus(api(`/api/workflows/${id}/state?ticket=${ticket}`), 401);
    await expectStatus(api(`/api/workflows/${id}/state`, { token: ticket }), 401);
    await expectStatus(
      api(`/api/workflows/${id}/tickets?ticket=${ticket}`, { method: "POST" }),
      401,
    );
    // Still unused: it opens a stream.
    const response = await eventsWithTicket(id, ticket);
    expect(response.status).toBe(200);
    await response.body?.cancel();
    await expectStatus(eventsWithTicket(id, "not-a-ticket"), 401);
  });
});

describe("a revoked token's open streams", () => {
  it("end within the recheck interval (SSE: event end; WebSocket: close 4401)", async () => {
    const { id } = await createWorkflow();
    const reader = await issueToken("reader");
    const sse = new SseReader(await events(id, "", {}, reader.token)).read();
    const upgrade = await subscribeRequest(id, "", reader.token);
    const ws = new WsClient(upgrade.webSocket as WebSocket);
    const { ticket } = await ticketFor(id, reader.token);
    const viaTicket = new SseReader(await eventsWithTicket(id, ticket)).read();
    await commitMany(id, 1);
    await Promise.all([sse.untilVersion(2), ws.untilVersion(2), viaTicket.untilVersion(2)]);

    await expectStatus(api(`/api/tokens/${reader.id}`, { method: "DELETE", token: ADMIN }), 204);
    // STREAM_RECHECK_SECONDS is 1 in the tests (30 by default).
    await Promise.all([sse.untilEnded(), ws.untilClosed(), viaTicket.untilEnded()]);
    for (const stream of [sse, viaTicket]) {
      expect(stream.messages.at(-1)).toEqual({
        event: "end",
        data: JSON.stringify({ code: "UNAUTHENTICATED", detail: "the token was revoked" }),
      });
    }
    expect(ws.closed).toEqual({ code: 4401, reason: "the token was revoked" });
  });
});

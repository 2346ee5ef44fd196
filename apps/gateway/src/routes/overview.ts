import { Overview, Problem, StreamTicket } from "@chorus/core";
import { relayOverview } from "../overview-relay.ts";
import { HttpError, PROBLEM_JSON } from "../problem.ts";
import { json } from "../respond.ts";
import { defineRoute } from "../route.ts";
import { call } from "../rpc.ts";
import { SubscribeHeaders } from "../schemas/events.ts";
import { issueTicket } from "../tickets.ts";

const FIGURES =
  "Workflows by status (up to 1,000, newest first), agents and their load, and for the 20 " +
  "newest workflows (those pending, running or paused first): tasks by status, open conflicts, " +
  "recent activity, and commit and conflict rates over the last five minutes.";

/**
 * `GET /api/overview`: the dashboard's figures across workflows, as the IntegrationDashboard
 * agent keeps them from the state managers' change deliveries (summed by core's
 * `summarizeOverview`).
 */
export const overview = defineRoute({
  method: "GET",
  path: "/api/overview",
  operationId: "getOverview",
  summary: "Live figures across workflows",
  description:
    `${FIGURES} Kept by the Integration Dashboard agent: a workflow's figures are read again ` +
    "when its changes are delivered (usually well within a second of a commit), the registry's " +
    "lists when they are more than a second old.",
  tag: "workflows",
  access: "reader",
  responses: { 200: { description: "The overview", schema: Overview } },
  async handle({ env }) {
    const body = await call(env.DASHBOARD.overview());
    return json(body, 200, { "cache-control": "no-store" });
  },
});

/** `POST /api/overview/tickets`: a single-use ticket for a browser's live overview socket. */
export const createOverviewTicket = defineRoute({
  method: "POST",
  path: "/api/overview/tickets",
  operationId: "createOverviewTicket",
  summary: "Issue a ticket for the live overview",
  description:
    "A ticket to pass as `?ticket=` to `GET /api/overview/live` (browsers cannot set " +
    "`Authorization` on a WebSocket, and a token never travels in a URL). Single-use, valid " +
    "60 s, bound to the calling token; it opens no workflow's streams.",
  tag: "workflows",
  access: "reader",
  responses: { 201: { description: "The ticket", schema: StreamTicket } },
  async handle({ env, identity }) {
    return json(await issueTicket(env, identity, undefined), 201, {
      "cache-control": "no-store",
    });
  },
});

/** `GET /api/overview/live`: the overview as a WebSocket, pushed after every change. */
export const liveOverview = defineRoute({
  method: "GET",
  path: "/api/overview/live",
  operationId: "liveOverview",
  summary: "Follow the overview (WebSocket)",
  description:
    `The overview of \`GET /api/overview\` as one JSON text message on connecting, then again ` +
    "after changes (at most every 250 ms; while nothing is committed, every 5 s, for agents' " +
    "heartbeats). `ping` is answered `pong`; any other message closes it with 1008. A revoked " +
    "token closes it with 4401. Accepts `?ticket=` (from `POST /api/overview/tickets`) in " +
    "place of `Authorization`.",
  tag: "workflows",
  access: "reader",
  tickets: true,
  headers: SubscribeHeaders,
  responses: {
    101: { description: "Switching Protocols: one Overview JSON text message per push" },
    426: {
      description: "Not a WebSocket upgrade (`Upgrade: websocket` missing)",
      schema: Problem,
      mediaType: PROBLEM_JSON,
      headers: { Upgrade: "websocket" },
    },
  },
  async handle({ env, identity, headers }) {
    if (headers.upgrade?.toLowerCase() !== "websocket") {
      throw new HttpError(
        426,
        "UPGRADE_REQUIRED",
        "this route is a WebSocket: send Upgrade: websocket",
        {
          errors: [{ path: "/headers/upgrade", message: "expected websocket" }],
          headers: { upgrade: "websocket" },
        },
      );
    }
    const answer = await env.DASHBOARD.fetch("https://dashboard/live", {
      headers: { upgrade: "websocket" },
    });
    if (answer.status !== 101 || answer.webSocket === null) {
      throw new Error(`the dashboard answered ${answer.status} to the live socket`);
    }
    return relayOverview(env, identity, answer.webSocket);
  },
});

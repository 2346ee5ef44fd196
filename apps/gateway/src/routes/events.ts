import { Problem, StateEvent, type StreamSubscription, StreamTicket } from "@chorus/core";
import type * as v from "valibot";
import { HttpError, PROBLEM_JSON, problemSpec } from "../problem.ts";
import { json } from "../respond.ts";
import { defineRoute } from "../route.ts";
import { call } from "../rpc.ts";
import { EventsHeaders, StreamQuery, SubscribeHeaders } from "../schemas/events.ts";
import { WorkflowPath } from "../schemas/params.ts";
import { relayAsSse } from "../sse-relay.ts";
import { openStateStream } from "../state-stream.ts";
import { issueTicket } from "../tickets.ts";
import { relayAsWebSocket } from "../ws-relay.ts";

type Query = v.InferOutput<typeof StreamQuery>;

/** The subscription the state manager gets, from the request's validated parts. */
function subscription(
  workflowId: string,
  query: Query,
  since: number | undefined,
): StreamSubscription {
  return {
    workflowId,
    ...(since === undefined ? {} : { since }),
    ...(query.branch === undefined ? {} : { branch: query.branch }),
    ...(query.paths === undefined ? {} : { paths: query.paths }),
    ...(query.types === undefined ? {} : { types: query.types }),
  };
}

const STREAM_DESCRIPTION =
  "Every committed version as a StateEvent `{ workflowId, version, branch, parents, author, " +
  "changeDescription, timestamp, checksum, patch, changes }`: `patch` is the JSON Patch from the " +
  "first parent (the branch's previous head), `changes` its StateChange records. Per branch: " +
  "increasing versions, no gap, no repeat, also across the switch from replay to live and across " +
  "a resume. With `paths`/`types`, only the matching operations and changes, and versions with " +
  "none are left out. An unknown workflow or branch, or a `since` past the newest version, is a " +
  "problem (404) before the stream opens. Accepts `?ticket=` in place of `Authorization`.";

/** `GET /api/workflows/{id}/events`: the change stream as Server-Sent Events. */
export const streamEvents = defineRoute({
  method: "GET",
  path: "/api/workflows/:id/events",
  operationId: "streamEvents",
  summary: "Follow changes (Server-Sent Events)",
  description:
    `${STREAM_DESCRIPTION} Each event is \`id: <version>\`, \`event: version\`, \`data: <StateEvent>\`; ` +
    "`: ping` at least every 15 s. `Last-Event-ID` (the last version received) takes precedence " +
    "over `since`. A consumer more than 1,000 events or 8 MiB behind gets `event: resume` with " +
    '`{"since":N}` and the stream ends; resume from N.',
  tag: "events",
  access: "reader",
  tickets: true,
  params: WorkflowPath,
  query: StreamQuery,
  headers: EventsHeaders,
  responses: {
    200: {
      description: "The stream; each `data:` line is one StateEvent",
      schema: StateEvent,
      mediaType: "text/event-stream",
    },
  },
  async handle({ env, ctx, identity, params, query, headers }) {
    const fromHeader = headers["last-event-id"];
    const socket = await openStateStream(
      env,
      subscription(params.id, query, fromHeader ?? query.since),
      {
        "/workflowId": "/params/id",
        "/since": fromHeader === undefined ? "/query/since" : "/headers/last-event-id",
        "": "/query",
      },
    );
    return relayAsSse(env, ctx, identity, socket);
  },
});

/** `GET /api/workflows/{id}/subscribe`: the change stream as a WebSocket. */
export const subscribe = defineRoute({
  method: "GET",
  path: "/api/workflows/:id/subscribe",
  operationId: "subscribe",
  summary: "Follow changes (WebSocket)",
  description:
    `${STREAM_DESCRIPTION} One StateEvent JSON text message per version. The subscriber sends ` +
    '`{"ack":N}` for the last version it processed (every few hundred events); past 1,000 events ' +
    'or 8 MiB unacknowledged it is closed with code 4008 and reason `{"since":N}`. `ping` is ' +
    "answered `pong`. A revoked token closes it with 4401; a restart of the state manager with " +
    '1012 and `{"since":N}`.',
  tag: "events",
  access: "reader",
  tickets: true,
  params: WorkflowPath,
  query: StreamQuery,
  headers: SubscribeHeaders,
  responses: {
    101: { description: "Switching Protocols: one StateEvent JSON text message per version" },
    426: {
      description: "Not a WebSocket upgrade (`Upgrade: websocket` missing)",
      schema: Problem,
      mediaType: PROBLEM_JSON,
      headers: { Upgrade: "websocket" },
    },
  },
  async handle({ env, ctx, identity, params, query, headers }) {
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
    const socket = await openStateStream(env, subscription(params.id, query, query.since), {
      "/workflowId": "/params/id",
      "": "/query",
    });
    return relayAsWebSocket(env, ctx, identity, socket);
  },
});

/** `POST /api/workflows/{id}/tickets`: a single-use ticket for a browser's stream. */
export const createTicket = defineRoute({
  method: "POST",
  path: "/api/workflows/:id/tickets",
  operationId: "createTicket",
  summary: "Issue a stream ticket",
  description:
    "Browsers cannot set `Authorization` on `EventSource` or `WebSocket`, and a token never " +
    "travels in a URL: this returns a ticket to pass as `?ticket=` to this workflow's `/events` " +
    "or `/subscribe`. Single-use, valid 60 s, bound to the calling token (revoking the token " +
    "voids it) and to this workflow.",
  tag: "events",
  access: "reader",
  params: WorkflowPath,
  responses: {
    201: { description: "The ticket", schema: StreamTicket },
    404: problemSpec("No such workflow"),
  },
  async handle({ env, identity, params }) {
    // A ticket for a workflow that does not exist would only fail later, at the stream.
    await call(env.STATE.getSettings({ workflowId: params.id }), { "/workflowId": "/params/id" });
    return json(await issueTicket(env, identity, params.id), 201, { "cache-control": "no-store" });
  },
});

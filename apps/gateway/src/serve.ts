import { ChorusError, validateOrThrow } from "@chorus/core";
import type { IRequest } from "itty-router";
import { heardAgent, touchAgent } from "./agent-touch.ts";
import type { Identity } from "./auth.ts";
import { authenticate, authorize, authorizeRole } from "./auth.ts";
import { byteLimit, readJsonBody } from "./bodies.ts";
import type { Env } from "./env.ts";
import { ANONYMOUS, type ParamSchema, type Route } from "./route.ts";
import { authenticateStream } from "./tickets.ts";

// Where each part's issues sit: `/query/limit`, `/headers/if-match`; the body's pointers are its own.
const PARTS = {
  params: { what: "path", at: "/params" },
  query: { what: "query", at: "/query" },
  headers: { what: "headers", at: "/headers" },
  body: { what: "body" },
} as const;

/**
 * Serves one request on its route, in a fixed order so the cheapest refusal comes first and
 * nothing reaches a callee unvalidated: authenticate (401) → authorize (403) → path, query and
 * headers (422) → body media type, size and syntax (415, 413, 400) → body schema (422) → handler.
 * @param route the matched route
 * @param request the request, with itty-router's `params` and `query`
 * @param env the bindings
 * @param ctx the execution context
 * @returns the handler's response
 */
export async function serve(
  route: Route,
  request: IRequest,
  env: Env,
  ctx: ExecutionContext,
): Promise<Response> {
  const rawParams = decodeParams(request.params);
  let identity = ANONYMOUS;
  if (route.access !== "public") {
    identity =
      route.tickets === true
        ? await authenticateStream(request, env, rawParams.id)
        : await authenticate(request, env);
  }
  const agentId = identity.agentId;
  if (agentId === undefined) return answer(route, request, env, ctx, identity, rawParams);
  // Heard once the request is served, so the touch never queues beside the request's own
  // calls on the agent's shard; a route whose call hears the agent needs none when it succeeds.
  try {
    const response = await answer(route, request, env, ctx, identity, rawParams);
    if (route.hearsAgent === true) heardAgent(agentId);
    else touchAgent(env, ctx, agentId);
    return response;
  } catch (error) {
    touchAgent(env, ctx, agentId);
    throw error;
  }
}

/** Authorizes the caller, validates the request's parts and runs the route's handler. */
async function answer(
  route: Route,
  request: IRequest,
  env: Env,
  ctx: ExecutionContext,
  identity: Identity,
  rawParams: Record<string, string>,
): Promise<Response> {
  if (route.access !== "public") {
    if (route.checksWorkflows === true && rawParams.id === undefined) {
      authorizeRole(identity, route.access);
    } else {
      authorize(identity, route.access, rawParams.id);
    }
  }
  const params = route.params && validateOrThrow(route.params, rawParams, PARTS.params);
  const query = route.query && validateOrThrow(route.query, { ...request.query }, PARTS.query);
  const headers =
    route.headers &&
    validateOrThrow(route.headers, headersOf(request, route.headers), PARTS.headers);
  let body: unknown;
  if (route.body !== undefined) {
    const raw = await readJsonBody(request, {
      mediaType: route.body.mediaType ?? "application/json",
      maxBytes: byteLimit(env.MAX_BODY_BYTES),
    });
    if (raw === undefined && route.body.optional !== true) {
      throw new ChorusError("VALIDATION_FAILED", "the request needs a body", { path: "" });
    }
    // Only a missing body stands for "no options": a JSON `null` is a value, and not an object.
    const given = raw === undefined ? {} : raw;
    body = route.body.schema && validateOrThrow(route.body.schema, given, PARTS.body);
  }
  return route.handle({ request, env, ctx, identity, params, query, headers, body });
}

function decodeParams(params: Record<string, string>): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    try {
      decoded[name] = decodeURIComponent(value);
    } catch {
      throw new ChorusError("VALIDATION_FAILED", `/params/${name}: invalid percent-encoding`, {
        path: `/params/${name}`,
      });
    }
  }
  return decoded;
}

function headersOf(request: Request, schema: ParamSchema): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of Object.keys(schema.entries)) {
    const value = request.headers.get(name);
    if (value !== null) values[name] = value;
  }
  return values;
}

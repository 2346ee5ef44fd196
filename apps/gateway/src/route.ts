import type { Role } from "@chorus/core";
import type * as v from "valibot";
import type { Identity } from "./auth.ts";
import type { Env } from "./env.ts";

/** The identity of a caller on a public route: no role beyond reading, no workflows. */
export const ANONYMOUS: Identity = Object.freeze({
  role: "reader",
  author: "anonymous",
  workflowIds: Object.freeze([]),
});

/** HTTP methods the API uses. */
export type Method = "GET" | "POST" | "PATCH" | "DELETE";

/** Who may call a route: anyone, or tokens with at least this role. */
export type Access = "public" | Role;

/** An object schema whose entries are documented one by one (path, query, header parameters). */
export type ParamSchema = v.ObjectSchema<v.ObjectEntries, undefined>;

/** A documented response: its status, what it means, and its body schema (JSON) if any. */
export interface ResponseSpec {
  description: string;
  schema?: v.GenericSchema;
  /** defaults to `application/json` when there is a schema */
  mediaType?: string;
  /** response headers worth documenting, name → description */
  headers?: Record<string, string>;
}

/** What a handler receives: the validated parts of the request and who sent it. */
export interface RouteContext<P, Q, H, B> {
  request: Request;
  env: Env;
  ctx: ExecutionContext;
  /** the caller; on public routes, {@link ANONYMOUS} */
  identity: Identity;
  params: P;
  query: Q;
  headers: H;
  body: B;
}

/** One endpoint: the single description that drives the router, validation and OpenAPI. */
export interface RouteSpec<
  P extends ParamSchema | undefined = ParamSchema | undefined,
  Q extends ParamSchema | undefined = ParamSchema | undefined,
  H extends ParamSchema | undefined = ParamSchema | undefined,
  B extends v.GenericSchema | undefined = v.GenericSchema | undefined,
> {
  method: Method;
  /** itty-router pattern, e.g. `/api/workflows/:id/state` */
  path: string;
  /** OpenAPI operationId */
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  access: Access;
  /**
   * Serves the route only where this holds of the worker's bindings (an opt-in variable);
   * elsewhere it is 404 like any unknown route and missing from /openapi.json. Always when absent.
   */
  enabledWhen?: (env: Env) => boolean;
  /** also accepts a stream ticket as `?ticket=` in place of a bearer token (`tickets.ts`) */
  tickets?: boolean;
  /**
   * The handler checks a token limited to some workflows against the workflows the request
   * names (e.g. an agent's), so such a token may use the route although it has no `{id}`.
   */
  checksWorkflows?: true;
  /**
   * The handler's coordinator call itself counts as hearing from the acting agent when it
   * succeeds (a claim, a task's heartbeat, completion or failure, the agent's heartbeat): the
   * gateway then sends no touch of its own, which would reach the same shard as the call.
   */
  hearsAgent?: true;
  params?: P;
  query?: Q;
  /** request headers, keyed by lowercase name */
  headers?: H;
  body?: {
    schema: B;
    /** `application/json` unless given */
    mediaType?: string;
    /** an empty body is parsed as `undefined` rather than refused */
    optional?: boolean;
  };
  responses: Record<number, ResponseSpec>;
  handle(context: RouteContext<Out<P>, Out<Q>, Out<H>, Out<B>>): Promise<Response> | Response;
}

type Out<S> = S extends v.GenericSchema ? v.InferOutput<S> : undefined;

/** A route with its types erased, as the route table holds it. */
export type Route = RouteSpec<
  ParamSchema | undefined,
  ParamSchema | undefined,
  ParamSchema | undefined,
  v.GenericSchema | undefined
>;

/**
 * Declares a route, checking its handler against its schemas.
 * @param spec the route
 * @returns it, ready for the route table
 * @example
 * export const ping = defineRoute({ method: "GET", path: "/ping", ..., handle: () => json({}) });
 */
export function defineRoute<
  P extends ParamSchema | undefined = undefined,
  Q extends ParamSchema | undefined = undefined,
  H extends ParamSchema | undefined = undefined,
  B extends v.GenericSchema | undefined = undefined,
>(spec: RouteSpec<P, Q, H, B>): Route {
  return spec as unknown as Route;
}

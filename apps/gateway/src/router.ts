import { AutoRouter, type IRequest } from "itty-router";
import { preflight, withCors } from "./cors.ts";
import type { Env } from "./env.ts";
import { HttpError, problemResponse } from "./problem.ts";
import { countRequest } from "./request-metrics.ts";
import type { Route } from "./route.ts";
import { serve } from "./serve.ts";

type Args = [Env, ExecutionContext];

/**
 * Builds the gateway's router from the route table: `before` refuses to serve an unconfigured
 * production deployment and answers CORS preflights; each route runs {@link serve}; `catch`
 * turns every error into problem+json; `finally` adds CORS headers and counts the request.
 * @param routes the route table
 * @returns the router, whose `fetch` is the worker's handler
 */
export function createRouter(routes: readonly Route[]) {
  const router = AutoRouter<IRequest, Args>({
    before: [markStart, refuseUnconfigured, preflight],
    // Returned rather than thrown: a throw here would skip the `finally` handlers below.
    missing: (request) => problemResponse(unmatched(request, router.routes)),
    catch: (error) => problemResponse(error),
    finally: [withCors, count],
  });
  for (const route of routes) {
    router[route.method.toLowerCase()]?.(
      route.path,
      (request: IRequest, env: Env, ctx: ExecutionContext) => serve(route, request, env, ctx),
    );
  }
  return router;
}

function markStart(request: IRequest): void {
  request.startedAt = performance.now();
}

function refuseUnconfigured(_request: IRequest, env: Env): void {
  if (env.ENVIRONMENT === "production" && !env.ADMIN_TOKEN) {
    throw new HttpError(
      503,
      "NOT_CONFIGURED",
      "The gateway refuses to serve: ENVIRONMENT is production and the ADMIN_TOKEN secret is not set. " +
        "Set it with `wrangler secret put ADMIN_TOKEN`.",
    );
  }
}

/** 405 with `Allow` when the path exists under other methods, else 404. */
function unmatched(
  request: IRequest,
  table: ReadonlyArray<[string, RegExp, ...unknown[]]>,
): HttpError {
  const { pathname } = new URL(request.url);
  const allowed = table.filter(([, pattern]) => pattern.test(pathname)).map(([method]) => method);
  if (allowed.length > 0) {
    const allow = [...new Set([...allowed, "OPTIONS"])].join(", ");
    return new HttpError(
      405,
      "METHOD_NOT_ALLOWED",
      `${request.method} is not allowed here; use ${allow}`,
      {
        headers: { allow },
      },
    );
  }
  return new HttpError(404, "ROUTE_NOT_FOUND", `no route matches ${request.method} ${pathname}`);
}

function count(response: Response, request: IRequest): void {
  const started = typeof request.startedAt === "number" ? request.startedAt : performance.now();
  countRequest(
    { method: request.method, route: request.route ?? "unmatched", status: response.status },
    (performance.now() - started) / 1000,
  );
}

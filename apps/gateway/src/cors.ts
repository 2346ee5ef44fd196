import type { Env } from "./env.ts";

const ALLOW_METHODS = "GET, POST, PATCH, DELETE, OPTIONS";
const ALLOW_HEADERS =
  "Authorization, Content-Type, If-Match, If-None-Match, Idempotency-Key, Last-Event-ID";
const EXPOSE_HEADERS = "ETag, Location, Allow, Idempotent-Replayed, WWW-Authenticate";

/**
 * Answers a CORS preflight (`OPTIONS`) for any path, before authentication, as browsers send
 * no credentials with it.
 * @param request the request
 * @param env the bindings (`CORS_ORIGINS`)
 * @returns 204 with the CORS headers, or `undefined` for any other method
 */
export function preflight(request: Request, env: Env): Response | undefined {
  if (request.method !== "OPTIONS") return undefined;
  const response = new Response(null, { status: 204 });
  addCorsHeaders(response.headers, request, env);
  response.headers.set("access-control-allow-methods", ALLOW_METHODS);
  response.headers.set("access-control-allow-headers", ALLOW_HEADERS);
  response.headers.set("access-control-max-age", "86400");
  return response;
}

/**
 * Adds the CORS headers to a response.
 * @param response the response
 * @param request the request
 * @param env the bindings (`CORS_ORIGINS`: `*` or a comma-separated list of origins)
 * @returns a response with the headers
 */
export function withCors(response: Response, request: Request, env: Env): Response {
  if (request.method === "OPTIONS") return response;
  // The gateway builds its responses itself, so their headers can be set in place; copying a
  // response (and turning its body into a stream) cost every request a second Response.
  const target = isMutable(response.headers) ? response : new Response(response.body, response);
  addCorsHeaders(target.headers, request, env);
  target.headers.set("access-control-expose-headers", EXPOSE_HEADERS);
  return target;
}

function isMutable(headers: Headers): boolean {
  try {
    headers.set("access-control-expose-headers", EXPOSE_HEADERS);
    return true;
  } catch {
    return false;
  }
}

function addCorsHeaders(headers: Headers, request: Request, env: Env): void {
  const allowed = (env.CORS_ORIGINS ?? "*").split(",").map((origin) => origin.trim());
  if (allowed.includes("*")) {
    headers.set("access-control-allow-origin", "*");
    return;
  }
  headers.append("vary", "Origin");
  const origin = request.headers.get("origin");
  if (origin !== null && allowed.includes(origin)) {
    headers.set("access-control-allow-origin", origin);
  }
}

import { env } from "cloudflare:workers";
import { Problem } from "@chorus/core";
import * as v from "valibot";
import { expect } from "vitest";
import { buildOpenApi } from "../src/openapi.ts";
import { PROBLEM_JSON } from "../src/problem.ts";
import type { Route } from "../src/route.ts";
import { routeTable } from "../src/route-table.ts";

// The tests run with every worker's bindings as configured for them (the floors on).
const ROUTES = routeTable(env);

type Operations = Record<string, Record<string, { responses: Record<string, unknown> }>>;

const DOCUMENT = buildOpenApi(ROUTES) as { paths: Operations };

// The route table's paths as the router matches them: a `:name` is one segment.
const MATCHERS = ROUTES.map((route) => ({
  route,
  pattern: new RegExp(`^${route.path.replace(/:\w+/g, "[^/]+")}$`),
}));

// Answers any route can give whatever it declares: a fault of Chorus, the refusal of a
// production deployment without ADMIN_TOKEN, which comes before any route is matched, and a
// callee out of a resource of the runtime.
const UNDECLARED_PROBLEMS = new Set([
  "INTERNAL",
  "INTEGRITY_FAILED",
  "NOT_CONFIGURED",
  "OVERLOADED",
]);

/**
 * Checks one answer of the gateway against what its route declares, so that `/openapi.json`
 * cannot drift from what is sent: a success answer's status must be one the route declares, its
 * `Content-Type` the declared media type, and its body must validate against the declared schema
 * with nothing left over (every member it sends is declared, every declared member is sent). An
 * error answer must be a {@link Problem} whose `status` is the answer's, and, unless it is one
 * that any route can give, documented for the route in `/openapi.json`. Answers that match no
 * route (404, 405) must be problems too; a CORS preflight is not checked.
 * @param request the request as sent (only its method and URL are read)
 * @param response the gateway's answer; its body is read from a clone
 */
export async function expectDeclaredAnswer(request: Request, response: Response): Promise<void> {
  const { pathname } = new URL(request.url);
  const status = response.status;
  const where = `${request.method} ${pathname} → ${status}`;
  const route = MATCHERS.find(
    ({ route, pattern }) => route.method === request.method && pattern.test(pathname),
  )?.route;
  const type = response.headers.get("content-type");
  // A stream never ends by itself, so its body is not read here: a WebSocket upgrade must be a
  // declared 101, an event stream the declared status and media type; the stream tests check
  // every event against StateEvent.
  if (response.webSocket !== null || type?.startsWith("text/event-stream") === true) {
    expect(route?.responses[status], `${where}: a status the route does not declare`).toBeDefined();
    if (status !== 101) {
      expect(type, `${where}: the declared media type`).toContain(
        route?.responses[status]?.mediaType ?? "",
      );
    }
    return;
  }
  const text = await response.clone().text();
  if (type === PROBLEM_JSON || (route === undefined && status >= 400)) {
    expect(type, where).toBe(PROBLEM_JSON);
    const problem = expectValid(Problem, JSON.parse(text), where);
    expect(problem.status, `${where}: the problem's status`).toBe(status);
    if (route !== undefined && !UNDECLARED_PROBLEMS.has(problem.code)) {
      expect(documentedStatuses(route), `${where}: not in /openapi.json`).toContain(String(status));
    }
    return;
  }
  if (route === undefined) return;
  const spec = route.responses[status];
  expect(spec, `${where}: a status the route does not declare`).toBeDefined();
  if (spec?.schema === undefined) {
    expect(text, `${where}: a body where none is declared`).toBe("");
    return;
  }
  const mediaType = spec.mediaType ?? "application/json";
  expect(type, `${where}: the declared media type`).toBe(mediaType);
  expectValid(spec.schema, /\bjson\b/.test(mediaType) ? JSON.parse(text) : text, where);
}

function expectValid<S extends v.GenericSchema>(
  schema: S,
  body: unknown,
  where: string,
): v.InferOutput<S> {
  const result = v.safeParse(schema, body, { abortEarly: false });
  const issues = (result.issues ?? []).map((issue) => `${v.getDotPath(issue)}: ${issue.message}`);
  expect(issues, `${where}: the body does not match its schema`).toEqual([]);
  // Object schemas drop members they do not declare and fill in defaults: what is left must be
  // what was sent.
  expect(result.output, `${where}: members the schema does not declare`).toEqual(body);
  return result.output as v.InferOutput<S>;
}

function documentedStatuses(route: Route): string[] {
  const path = route.path.replace(/:(\w+)/g, "{$1}");
  return Object.keys(DOCUMENT.paths[path]?.[route.method.toLowerCase()]?.responses ?? {});
}

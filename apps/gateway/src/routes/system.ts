import { Health, Id } from "@chorus/core";
import * as v from "valibot";
import packageJson from "../../package.json" with { type: "json" };
import { coordinatorFamilies, coordinatorStorage } from "../coordinator-metrics.ts";
import { checkComponents } from "../health.ts";
import { collectFamilies } from "../metrics.ts";
import { buildOpenApi } from "../openapi.ts";
import { problemSpec } from "../problem.ts";
import { PROMETHEUS_TEXT, render } from "../prometheus.ts";
import { json } from "../respond.ts";
import { defineRoute, type Route } from "../route.ts";
import { call } from "../rpc.ts";

/** `GET /health`: each callee pinged through its binding; 503 when one is down. */
export const health = defineRoute({
  method: "GET",
  path: "/health",
  operationId: "getHealth",
  summary: "Health of the gateway and each callee",
  description: "Public; reveals no configuration. 503 when a component does not answer.",
  tag: "system",
  access: "public",
  responses: {
    200: { description: "Every component is up", schema: Health },
    503: { description: "A component is down", schema: Health },
  },
  async handle({ env }) {
    const callees = await checkComponents(env);
    const components = { gateway: { status: "up" as const, latencyMs: 0 }, ...callees };
    const up = Object.values(components).every((component) => component.status === "up");
    const status = up ? "ok" : "degraded";
    return json({ status, version: packageJson.version, components }, up ? 200 : 503, {
      "cache-control": "no-store",
    });
  },
});

/** `GET /metrics`: Prometheus text; `?workflowId=` (repeatable) adds those workflows' counters. */
export const metrics = defineRoute({
  method: "GET",
  path: "/metrics",
  operationId: "getMetrics",
  summary: "Metrics in the Prometheus text format",
  description:
    "Callee health, this gateway isolate's request counters, and the state manager's counters " +
    "for each `workflowId` given (up to 20).",
  tag: "system",
  access: "admin",
  query: v.object({
    workflowId: v.optional(v.union([Id, v.pipe(v.array(Id), v.maxLength(20))])),
  }),
  responses: {
    200: { description: "The metrics", mediaType: PROMETHEUS_TEXT, schema: v.string() },
    404: problemSpec("A `workflowId` names no workflow"),
  },
  async handle({ env, query }) {
    const ids = query.workflowId === undefined ? [] : [query.workflowId].flat();
    const [components, storage, ...perWorkflow] = await Promise.all([
      checkComponents(env),
      coordinatorStorage(env),
      ...ids.map((workflowId) =>
        call(env.STATE.metrics({ workflowId }), { "/workflowId": "/query/workflowId" }),
      ),
    ]);
    const workflows = new Map(ids.map((id, i) => [id, { ...perWorkflow[i] }]));
    const text = render([
      ...collectFamilies(components, workflows),
      ...coordinatorFamilies(storage),
    ]);
    return new Response(text, { headers: { "content-type": PROMETHEUS_TEXT } });
  },
});

/**
 * `GET /openapi.json`, generated from the route table it is part of.
 * @param table every other route
 * @returns the route
 */
export function openApiRoute(table: readonly Route[]): Route {
  let document: unknown;
  const route = defineRoute({
    method: "GET",
    path: "/openapi.json",
    operationId: "getOpenApi",
    summary: "This API's OpenAPI 3.1 document",
    tag: "system",
    access: "public",
    responses: { 200: { description: "The document", schema: v.record(v.string(), v.unknown()) } },
    handle() {
      document ??= buildOpenApi([...table, route]);
      return json(document);
    },
  });
  return route;
}

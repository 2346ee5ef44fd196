import {
  Branch,
  CommitResult,
  JsonRecord,
  Problem,
  QueuedConflict,
  Snapshot,
  StateVersion,
  TokenInfo,
  WorkflowRecord,
} from "@chorus/core";
import { type ConversionConfig, toJsonSchema, toJsonSchemaDefs } from "@valibot/to-json-schema";
import type * as v from "valibot";
import packageJson from "../package.json" with { type: "json" };
import { PROBLEM_JSON } from "./problem.ts";
import type { ParamSchema, Route } from "./route.ts";

/** Schemas documented once under `components/schemas` and referenced wherever they appear. */
const COMPONENTS = {
  Problem,
  StateVersion,
  CommitResult,
  Snapshot,
  Branch,
  QueuedConflict,
  WorkflowRecord,
  TokenInfo,
};

const CONFIG: ConversionConfig = {
  target: "draft-2020-12",
  // Request schemas transform strings to numbers; document what the client sends.
  typeMode: "input",
  // Custom checks (JSON data, ids keyed by id) have no JSON Schema form: documented as open.
  errorMode: "ignore",
  overrideRef: ({ referenceId }) => `#/components/schemas/${referenceId}`,
  overrideSchema: ({ valibotSchema }) =>
    valibotSchema === JsonRecord ? { type: "object" } : undefined,
};

/** What each kind of route can fail with, beyond what its own responses list. */
const PROBLEMS: Record<number, string> = {
  400: "The body is not valid JSON",
  401: "No bearer token, or not a valid one",
  403: "The token's role or workflows do not allow this",
  404: "No such workflow, version, branch, snapshot, conflict or token",
  413: "The body exceeds MAX_BODY_BYTES",
  415: "The body's Content-Type is not the one accepted",
  422: "The request does not match the schema; `errors` names every field",
  503: "`OVERLOADED`: a callee ran out of a shared resource of the runtime; nothing changed, send it again after `Retry-After` seconds",
};

/**
 * Generates the OpenAPI 3.1 document from the route table and the same valibot schemas that
 * validate requests (via `@valibot/to-json-schema`).
 * @param routes every route
 * @returns the document
 */
export function buildOpenApi(routes: readonly Route[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, "{$1}");
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(route) };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Chorus API",
      version: packageJson.version,
      description:
        "Multi-agent workflow coordination: versioned workflow state with merges, branches, " +
        "snapshots and conflicts. Errors are application/problem+json (RFC 9457).",
    },
    servers: [{ url: "/" }],
    tags: [...new Set(routes.map((route) => route.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: toJsonSchemaDefs(COMPONENTS, CONFIG),
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "ADMIN_TOKEN or an issued token" },
      },
    },
  };
}

function operation(route: Route): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    responses[status] = {
      description: spec.description,
      ...(spec.headers === undefined ? {} : { headers: headersOf(spec.headers) }),
      ...(spec.schema === undefined
        ? {}
        : { content: { [spec.mediaType ?? "application/json"]: { schema: schema(spec.schema) } } }),
    };
  }
  for (const status of problemStatuses(route)) {
    responses[status] ??= {
      description: PROBLEMS[status],
      content: { [PROBLEM_JSON]: { schema: { $ref: "#/components/schemas/Problem" } } },
    };
  }
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description === undefined ? {} : { description: route.description }),
    tags: [route.tag],
    security: route.access === "public" ? [] : [{ bearer: [] }],
    "x-chorus-role": route.access,
    parameters: [
      ...parameters(route.params, "path"),
      ...parameters(route.query, "query"),
      ...parameters(route.headers, "header"),
    ],
    ...(route.body === undefined
      ? {}
      : {
          requestBody: {
            required: route.body.optional !== true,
            content: {
              [route.body.mediaType ?? "application/json"]: { schema: schema(route.body.schema) },
            },
          },
        }),
    responses,
  };
}

function problemStatuses(route: Route): number[] {
  const statuses: number[] = [];
  if (route.access !== "public") statuses.push(401, 403);
  if (route.params !== undefined) statuses.push(404);
  if (route.body !== undefined) statuses.push(400, 413, 415);
  if (route.body !== undefined || route.params || route.query || route.headers) statuses.push(422);
  // Every authenticated route reaches a Durable Object (the token store, at least).
  if (route.access !== "public") statuses.push(503);
  return statuses;
}

function parameters(schema: ParamSchema | undefined, where: "path" | "query" | "header") {
  if (schema === undefined) return [];
  return Object.entries(schema.entries).map(([name, entry]) => ({
    name: where === "header" ? headerName(name) : name,
    in: where,
    required: where === "path" || !isOptional(entry),
    schema: toJsonSchemaOf(isOptional(entry) ? unwrapOptional(entry) : entry),
  }));
}

function headersOf(headers: Record<string, string>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, description]) => [
      name,
      { description, schema: { type: "string" } },
    ]),
  );
}

function schema(valibot: v.GenericSchema | undefined): unknown {
  return valibot === undefined ? {} : toJsonSchemaOf(valibot);
}

function toJsonSchemaOf(valibot: v.GenericSchema): Record<string, unknown> {
  const {
    $schema: _,
    $defs: __,
    ...rest
  } = toJsonSchema(valibot, { ...CONFIG, definitions: COMPONENTS });
  return rest;
}

function isOptional(entry: v.GenericSchema): boolean {
  return entry.type === "optional" || entry.type === "exact_optional" || entry.type === "nullish";
}

function unwrapOptional(entry: v.GenericSchema): v.GenericSchema {
  return "wrapped" in entry ? (entry.wrapped as v.GenericSchema) : entry;
}

function headerName(name: string): string {
  return name.replace(
    /(^|-)([a-z])/g,
    (_, dash: string, letter: string) => dash + letter.toUpperCase(),
  );
}

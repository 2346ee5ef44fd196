import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { routeTable } from "../src/route-table.ts";
import { api, expectStatus } from "./helpers.ts";

// Every route, the benchmark floors included: vitest.config.ts sets BENCH_FLOORS=1.
const ROUTES = routeTable(env);

type Operation = { operationId: string; responses: Record<string, unknown>; requestBody?: unknown };
type Document = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
};

const METHODS = ["get", "post", "patch", "put", "delete"];

describe("GET /openapi.json", () => {
  let doc: Document;
  beforeAll(async () => {
    doc = await expectStatus<Document>(api("/openapi.json"), 200);
  });

  it("is an OpenAPI 3.1 document", () => {
    expect(doc.openapi).toBe("3.1.0");
  });

  it("documents every registered route", () => {
    for (const route of ROUTES) {
      const path = route.path.replace(/:(\w+)/g, "{$1}");
      expect(doc.paths[path]?.[route.method.toLowerCase()]?.operationId, path).toBe(
        route.operationId,
      );
    }
  });

  it("documents only routes that exist", async () => {
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((method) => METHODS.includes(method))
        .map((method) => [method.toUpperCase(), path] as const),
    );
    expect(documented).toHaveLength(ROUTES.length);
    for (const [method, path] of documented) {
      const response = await api(path.replace(/\{(\w+)\}/g, "x"), { method });
      const body = await response.text();
      expect(
        [404, 405].includes(response.status) && /ROUTE_NOT_FOUND|METHOD_NOT_ALLOWED/.test(body),
        `${method} ${path}`,
      ).toBe(false);
    }
  });

  it("resolves every $ref to a component schema", () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) {
      const name = ref.slice('"$ref":"#/components/schemas/'.length, -1);
      expect(ref.startsWith('"$ref":"#/components/schemas/'), ref).toBe(true);
      expect(doc.components.schemas[name], ref).toBeDefined();
    }
  });

  it("derives request bodies from the validation schemas", () => {
    const create = doc.paths["/api/workflows"]?.post?.requestBody;
    expect(create).toMatchObject({
      required: true,
      content: {
        "application/json": {
          schema: { type: "object", required: ["name"], additionalProperties: false },
        },
      },
    });
    const patch = doc.paths["/api/workflows/{id}/state"]?.patch;
    expect(patch?.requestBody).toMatchObject({
      content: { "application/json-patch+json": { schema: { type: "array" } } },
    });
    expect(Object.keys(patch?.responses ?? {})).toEqual(
      expect.arrayContaining(["201", "401", "403", "415", "422"]),
    );
  });

  it("documents query numbers as digit strings", () => {
    const getState = doc.paths["/api/workflows/{id}/state"]?.get as unknown as {
      parameters: Array<{ name: string; in: string; schema: { pattern?: string } }>;
    };
    const version = getState.parameters.find((p) => p.name === "version");
    expect(version).toMatchObject({ in: "query", schema: { type: "string", pattern: "^\\d+$" } });
    expect(getState.parameters.find((p) => p.in === "header")?.name).toBe("If-None-Match");
  });
});

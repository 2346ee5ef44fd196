/** One operation of the API, as /openapi.json describes it. */
export interface Operation {
  method: string;
  /** OpenAPI template, e.g. `/api/workflows/{id}/state` */
  path: string;
  operationId: string;
  access: string;
  pathParams: string[];
  queryParams: string[];
  headerParams: string[];
  /** the request body's media type, if the operation takes one */
  bodyType?: string;
}

interface OpenApiOperation {
  operationId: string;
  "x-chorus-role": string;
  parameters?: Array<{ name: string; in: string }>;
  requestBody?: { content: Record<string, unknown> };
}

/**
 * Every operation the stack serves, from its own /openapi.json: generated from the gateway's
 * route table, so a new route is in it without anyone listing it here.
 * @param baseUrl the stack's URL
 * @returns the operations
 */
export async function loadOperations(baseUrl: string): Promise<Operation[]> {
  const response = await fetch(`${baseUrl}/openapi.json`);
  if (!response.ok) throw new Error(`GET /openapi.json answered ${response.status}`);
  const document = (await response.json()) as {
    paths: Record<string, Record<string, OpenApiOperation>>;
  };
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const named = (where: string) =>
        (op.parameters ?? []).filter((p) => p.in === where).map((p) => p.name);
      const bodyType = Object.keys(op.requestBody?.content ?? {})[0];
      return {
        method: method.toUpperCase(),
        path,
        operationId: op.operationId,
        access: op["x-chorus-role"],
        pathParams: named("path"),
        queryParams: named("query"),
        headerParams: named("header"),
        ...(bodyType === undefined ? {} : { bodyType }),
      };
    }),
  );
}

import { createExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import type { AgentRecord } from "@chorus/core";
import { expect } from "vitest";
import worker from "../src/index.ts";
import { expectDeclaredAnswer } from "./declared-answer.ts";

/** The admin token the tests run with (a `miniflare.bindings` value in vitest.config.ts). */
export const ADMIN = String((env as { ADMIN_TOKEN?: string }).ADMIN_TOKEN);

/** What a test request may carry. */
export interface Call {
  method?: string;
  /** a bearer token; none when omitted */
  token?: string;
  /** sent as JSON with `Content-Type: application/json` unless `contentType` says otherwise */
  json?: unknown;
  /** sent as is */
  body?: BodyInit;
  contentType?: string;
  headers?: Record<string, string>;
}

/**
 * Sends a request through the gateway's public entry, as a client would, and checks the answer
 * against what its route declares (see {@link expectDeclaredAnswer}).
 * @param path the path and query
 * @param call method, token, body and headers
 * @returns the response
 */
export async function api(path: string, call: Call = {}): Promise<Response> {
  const headers = new Headers(call.headers);
  if (call.token !== undefined) headers.set("authorization", `Bearer ${call.token}`);
  let body = call.body;
  if (call.json !== undefined) {
    body = JSON.stringify(call.json);
    headers.set("content-type", call.contentType ?? "application/json");
  } else if (call.contentType !== undefined) {
    headers.set("content-type", call.contentType);
  }
  const request = new Request(`https://chorus.test${path}`, {
    method: call.method ?? "GET",
    headers,
    body,
  });
  const response = await exports.default.fetch(request);
  await expectDeclaredAnswer(request, response);
  return response;
}

/**
 * Sends a request to the gateway's handler with other bindings (a callee that fails, a
 * production setting), and checks the answer as {@link api} does.
 * @param request the request
 * @param bindings the env the handler sees
 * @returns the response
 */
export async function fetchWith(request: Request, bindings: object): Promise<Response> {
  const response = await worker.fetch(
    request as Request<unknown, IncomingRequestCfProperties>,
    bindings as never,
    createExecutionContext(),
  );
  await expectDeclaredAnswer(request, response);
  return response;
}

/**
 * Sends a request and checks its status.
 * @returns the parsed JSON body (or text when it is not JSON)
 */
export async function expectStatus<T = Record<string, unknown>>(
  response: Response | Promise<Response>,
  status: number,
): Promise<T> {
  const res = await response;
  const text = await res.text();
  expect(res.status, text).toBe(status);
  const type = res.headers.get("content-type") ?? "";
  return (type.includes("json") && text !== "" ? JSON.parse(text) : text) as T;
}

// The answers' types are core's, which every answer is checked against (declared-answer.ts).
export type { CommitResult as Committed, Problem } from "@chorus/core";

/** `POST /api/workflows/{id}/state` with a JSON body, as admin unless a token is given. */
export function postState(
  id: string,
  json: unknown,
  headers: Record<string, string> = {},
  token = ADMIN,
): Promise<Response> {
  return api(`/api/workflows/${id}/state`, { method: "POST", token, json, headers });
}

/** A small state that passes the workflow state schema. */
export function sampleState(overrides: Record<string, unknown> = {}) {
  return {
    name: "Review pipeline",
    status: "running",
    priority: "normal",
    tasks: {
      t1: { id: "t1", status: "pending" },
      t2: { id: "t2", status: "pending" },
    },
    metadata: { counter: 0 },
    ...overrides,
  };
}

/**
 * Creates a workflow as admin.
 * @returns its id and version 1's checksum
 */
export async function createWorkflow(
  initialState: unknown = sampleState(),
): Promise<{ id: string; checksum: string }> {
  const created = await expectStatus<{ workflow: { id: string }; version: { checksum: string } }>(
    api("/api/workflows", { method: "POST", token: ADMIN, json: { name: "Test", initialState } }),
    201,
  );
  return { id: created.workflow.id, checksum: created.version.checksum };
}

/**
 * Issues a token as admin.
 * @returns its secret and id
 */
export async function issueToken(
  role: "reader" | "writer" | "admin",
  workflowIds?: string[],
  name = `${role}-${crypto.randomUUID().slice(0, 8)}`,
): Promise<{ token: string; id: string; name: string }> {
  return expectStatus(
    api("/api/tokens", {
      method: "POST",
      token: ADMIN,
      json: { name, role, ...(workflowIds === undefined ? {} : { workflowIds }) },
    }),
    201,
  );
}

/** A workflow with something for every route to act on. */
export interface Fixture {
  id: string;
  /** a snapshot of version 1 */
  snapshotId: string;
  /** an open conflict on `main` */
  conflictId: string;
  /** a branch with one commit `main` does not have */
  branch: string;
}

/**
 * Creates a workflow with a branch `feature` one commit ahead, a snapshot of version 1, and an
 * open conflict (two writers from version 1 changed `/metadata/counter` differently).
 * @returns the ids
 */
export async function fixture(): Promise<Fixture> {
  const { id } = await createWorkflow();
  const at = `/api/workflows/${id}`;
  const commit = (json: unknown, status: number) =>
    expectStatus(api(`${at}/state`, { method: "POST", token: ADMIN, json }), status);
  await expectStatus(
    api(`${at}/branches`, { method: "POST", token: ADMIN, json: { name: "feature" } }),
    201,
  );
  await commit(
    { state: sampleState({ name: "On feature" }), branch: "feature", baseVersion: 1 },
    201,
  );
  const snapshot = await expectStatus<{ id: string }>(
    api(`${at}/snapshots`, { method: "POST", token: ADMIN, json: { version: 1 } }),
    201,
  );
  await commit({ state: sampleState({ metadata: { counter: 1 } }), baseVersion: 1 }, 201);
  const conflict = await commit(
    { state: sampleState({ metadata: { counter: 2 } }), baseVersion: 1 },
    409,
  );
  return {
    id,
    snapshotId: snapshot.id,
    conflictId: String(conflict.conflictId),
    branch: "feature",
  };
}

/**
 * `POST /api/agents` as admin unless a token is given.
 * @returns the agent and its token's secret
 */
export async function registerAgent(
  body: Record<string, unknown> = {},
  token = ADMIN,
): Promise<{ agent: AgentRecord; token: string }> {
  return expectStatus(
    api("/api/agents", {
      method: "POST",
      token,
      json: { name: "r1", type: "reviewer", capabilities: ["ts"], ...body },
    }),
    201,
  );
}

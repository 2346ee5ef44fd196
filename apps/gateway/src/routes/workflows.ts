import {
  benchFloorsEnabled,
  CreatedWorkflow,
  isChorusError,
  JsonRecord,
  NewWorkflow,
  WorkflowRecord as RecordSchema,
  sha256Hex,
  type TaskCounts,
  validateOrThrow,
  WorkflowDetail,
  WorkflowPage,
  type WorkflowRecord,
  WorkflowStateDocument,
  WorkflowUpdate,
} from "@chorus/core";
import type { Env } from "../env.ts";
import { HttpError, problemSpec } from "../problem.ts";
import { json } from "../respond.ts";
import { defineRoute } from "../route.ts";
import { call } from "../rpc.ts";
import { WorkflowPath } from "../schemas/params.ts";
import { CreateWorkflowHeaders, ListWorkflowsQuery, NoopResult } from "../schemas/workflows.ts";

const WORKFLOW = { "/workflowId": "/params/id" };
const KEY_PATH = "/headers/idempotency-key";

/**
 * `POST /api/workflows`: version 1 in the state manager, then the registry record. The id comes
 * from the caller and the Idempotency-Key, and both steps accept being repeated, so sending the
 * request again with its key finishes a creation that failed halfway instead of starting another.
 */
export const createWorkflow = defineRoute({
  method: "POST",
  path: "/api/workflows",
  operationId: "createWorkflow",
  summary: "Create a workflow",
  description:
    "Commits `initialState` (or `{}`) as version 1 on `main`, then registers the workflow as " +
    "`pending`. The id is `wf_` and 32 hex digits of SHA-256 over the caller's identity and the " +
    "`Idempotency-Key` (a random key when none is sent). The same key from the same identity " +
    "with the same body answers 201 with the same workflow (as it is now, with " +
    "`Idempotent-Replayed: true`) and creates nothing new; if the first attempt stopped after " +
    "version 1, the retry registers the workflow. A key once used with a different body is " +
    "422 `IDEMPOTENCY_KEY_REUSED`. A key names its workflow for good. When the registry fails " +
    "after version 1 was written, the answer is 503 `REGISTRATION_FAILED` naming the workflow " +
    "and, in `detail` and the `Idempotency-Key` header, the key to send again to finish it.",
  tag: "workflows",
  access: "writer",
  headers: CreateWorkflowHeaders,
  body: { schema: NewWorkflow },
  responses: {
    201: {
      description: "Created (or, with a repeated Idempotency-Key, the workflow it created)",
      schema: CreatedWorkflow,
      headers: {
        Location: "the workflow's URL",
        "Idempotent-Replayed": "`true` when an earlier request with this key wrote version 1",
      },
    },
    422: problemSpec(
      "The request does not match the schema (`errors` names every field), or its " +
        "Idempotency-Key created a workflow from a different request (`IDEMPOTENCY_KEY_REUSED`)",
    ),
    503: {
      ...problemSpec(
        "Version 1 was written but the registry did not take the record " +
          "(`REGISTRATION_FAILED`): send the same request again with the key to finish",
      ),
      headers: {
        "Idempotency-Key": "the key to send again",
        "Retry-After": "seconds to wait first",
      },
    },
  },
  async handle({ env, identity, headers, body }) {
    // Checked here too so a bad state is reported at /initialState, before anything is written.
    if (body.initialState !== undefined) {
      const initialState = { what: "initial state", at: "/initialState" };
      validateOrThrow(JsonRecord, body.initialState, initialState);
      validateOrThrow(WorkflowStateDocument, body.initialState, initialState);
    }
    const sentKey = headers["idempotency-key"];
    // Without a key the id still comes from one, so that a 503 can name a key that finishes it.
    const key = sentKey ?? crypto.randomUUID();
    const workflowId = await workflowIdFor(identity.author, key);
    const create = { workflowId, state: body.initialState ?? {}, author: identity.author };
    const created = await keyed(
      call(env.STATE.create(create), { "/state": "/initialState" }),
      sentKey,
    );
    // Built only from the body, the identity and version 1, so a retry builds the same record.
    const at = created.version.timestamp;
    const record: WorkflowRecord = {
      id: workflowId,
      name: body.name,
      ...(body.description === undefined ? {} : { description: body.description }),
      status: "pending",
      priority: body.priority,
      tags: body.context?.tags ?? [],
      ...(body.context?.userId === undefined ? {} : { userId: body.context.userId }),
      createdAt: at,
      updatedAt: at,
      createdBy: identity.author,
    };
    const workflow = await keyed(register(env, record, key), sentKey);
    return json({ workflow, version: created.version }, 201, {
      location: `/api/workflows/${workflowId}`,
      ...(created.replayed ? { "idempotent-replayed": "true" } : {}),
    });
  },
});

/**
 * The id a creation gets: the same for the same identity and key, and no other pair's.
 * @param author the caller's identity (`admin` or `token:<name>`)
 * @param key the request's Idempotency-Key
 * @returns `wf_` and 32 hex digits (128 bits) of SHA-256
 * @example
 * await workflowIdFor("token:planner", "release-1.4"); // "wf_…", every time
 */
export async function workflowIdFor(author: string, key: string): Promise<string> {
  // As a JSON array the pair is unambiguous: no author and key run together into another's.
  return `wf_${(await sha256Hex(JSON.stringify([author, key]))).slice(0, 32)}`;
}

/**
 * Registers the record; a registry that fails or cannot be reached is a 503 that names the
 * workflow and the key to send again, since version 1 is written and a retry will finish it.
 */
async function register(env: Env, record: WorkflowRecord, key: string): Promise<WorkflowRecord> {
  try {
    return await call(env.COORDINATOR.registerWorkflow({ record }));
  } catch (error) {
    if (isChorusError(error) && error.isUserError()) throw error;
    console.error(`registering ${record.id} failed`, error);
    throw new HttpError(
      503,
      "REGISTRATION_FAILED",
      `workflow ${record.id} has version 1 but its registration failed: send the same request ` +
        `again with Idempotency-Key: ${key} to finish creating it`,
      { headers: { "idempotency-key": key, "retry-after": "1" } },
    );
  }
}

/**
 * Awaits one step of a creation. Under the caller's own key, `ALREADY_EXISTS` (from the state
 * manager or the registry) means the key made its workflow from a different request: 422.
 */
async function keyed<T>(step: Promise<T>, sentKey: string | undefined): Promise<T> {
  try {
    return await step;
  } catch (error) {
    if (sentKey === undefined || !isChorusError(error) || error.code !== "ALREADY_EXISTS") {
      throw error;
    }
    const message = "this Idempotency-Key created a workflow from a different request";
    throw new HttpError(422, "IDEMPOTENCY_KEY_REUSED", `${message}; send a new key`, {
      errors: [{ path: KEY_PATH, message }],
    });
  }
}

/** `GET /api/workflows`: the registry, newest first. */
export const listWorkflows = defineRoute({
  method: "GET",
  path: "/api/workflows",
  operationId: "listWorkflows",
  summary: "List workflows",
  description: "Newest first; filter by `status` and/or `tag`; pass `nextCursor` back as `cursor`.",
  tag: "workflows",
  access: "reader",
  query: ListWorkflowsQuery,
  responses: { 200: { description: "A page of workflows", schema: WorkflowPage } },
  async handle({ env, query }) {
    const page = await call(env.COORDINATOR.listWorkflows(query), { "": "/query" });
    return json(page);
  },
});

/** `GET /api/workflows/{id}`: the registry record. */
export const getWorkflow = defineRoute({
  method: "GET",
  path: "/api/workflows/:id",
  operationId: "getWorkflow",
  summary: "Get a workflow's record",
  tag: "workflows",
  access: "reader",
  params: WorkflowPath,
  description:
    "The registry record, `agentCount` (agents limited to the workflow or holding leases in " +
    "it) and `taskCounts`, its tasks counted by status.",
  responses: { 200: { description: "The workflow and its counts", schema: WorkflowDetail } },
  async handle({ env, params }) {
    const workflowId = params.id;
    const [record, agents, board] = await Promise.all([
      call(env.COORDINATOR.getWorkflow({ workflowId }), WORKFLOW),
      call(env.COORDINATOR.listAgents({ workflowId }), WORKFLOW),
      call(env.STATE.listTasks({ workflowId }), WORKFLOW),
    ]);
    const taskCounts: TaskCounts = {
      pending: 0,
      ready: 0,
      claimed: 0,
      completed: 0,
      failed: 0,
      dead: 0,
      cancelled: 0,
    };
    for (const task of board.tasks) taskCounts[task.status]++;
    return json({ ...record, agentCount: agents.length, taskCounts });
  },
});

/** `PATCH /api/workflows/{id}`: status transitions and metadata. */
export const updateWorkflow = defineRoute({
  method: "PATCH",
  path: "/api/workflows/:id",
  operationId: "updateWorkflow",
  summary: "Change a workflow's status or metadata",
  description: "Status changes follow the lifecycle; completed and cancelled are final.",
  tag: "workflows",
  access: "writer",
  params: WorkflowPath,
  body: { schema: WorkflowUpdate },
  responses: { 200: { description: "The updated workflow", schema: RecordSchema } },
  async handle({ env, identity, params, body }) {
    const update = { workflowId: params.id, update: body, actor: identity.author };
    return json(await call(env.COORDINATOR.updateWorkflow(update), { ...WORKFLOW, "/update": "" }));
  },
});

const NOOP_RESPONSES = { 200: { description: "Always `{ ok: true }`", schema: NoopResult } };
const BENCH_FLOOR_ONLY =
  "A benchmark instrument, served only where the gateway's and the state manager's " +
  "BENCH_FLOORS are 1.";

/** `GET /api/workflows/{id}/noop`: gateway → binding → Durable Object and back, no work. */
export const noop = defineRoute({
  method: "GET",
  path: "/api/workflows/:id/noop",
  operationId: "noop",
  summary: "Round trip to the workflow's Durable Object (benchmark floor)",
  description: BENCH_FLOOR_ONLY,
  tag: "workflows",
  access: "reader",
  enabledWhen: benchFloorsEnabled,
  params: WorkflowPath,
  responses: NOOP_RESPONSES,
  async handle({ env, params }) {
    await call(env.STATE.noop({ workflowId: params.id }), WORKFLOW);
    return json({ ok: true });
  },
});

/**
 * `POST /api/workflows/{id}/noop`: the same round trip plus one durable one-row write, nothing
 * versioned. No commit can cost less, so commits are benchmarked against it as well.
 */
export const noopWrite = defineRoute({
  method: "POST",
  path: "/api/workflows/:id/noop",
  operationId: "noopWrite",
  summary: "Round trip plus one durable one-row write (benchmark floor for commits)",
  description:
    "Writes one small row of its own in the workflow's Durable Object and answers once it is " +
    `durable; no version, counter or audit entry. ${BENCH_FLOOR_ONLY}`,
  tag: "workflows",
  access: "writer",
  enabledWhen: benchFloorsEnabled,
  params: WorkflowPath,
  responses: NOOP_RESPONSES,
  async handle({ env, params }) {
    await call(env.STATE.noopWrite({ workflowId: params.id }), WORKFLOW);
    return json({ ok: true });
  },
});

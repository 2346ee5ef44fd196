import {
  JsonRecord,
  NewWorkflow,
  WorkflowRecord as RecordSchema,
  type WorkflowRecord,
  WorkflowStateDocument,
  WorkflowUpdate,
} from "@chorus/core";
import { json } from "../respond.ts";
import { defineRoute } from "../route.ts";
import { call } from "../rpc.ts";
import { WorkflowPath } from "../schemas/params.ts";
import {
  CreatedWorkflow,
  ListWorkflowsQuery,
  NoopResult,
  WorkflowPage,
} from "../schemas/workflows.ts";
import { parsePart } from "../validation.ts";

const WORKFLOW = { "/workflowId": "/params/id" };

/** `POST /api/workflows`: version 1 in the state manager, then the registry record. */
export const createWorkflow = defineRoute({
  method: "POST",
  path: "/api/workflows",
  operationId: "createWorkflow",
  summary: "Create a workflow",
  description:
    "Commits `initialState` (or `{}`) as version 1 on `main`, then registers the workflow as `pending`. " +
    "The id is generated (`wf_<uuid>`).",
  tag: "workflows",
  access: "writer",
  body: { schema: NewWorkflow },
  responses: {
    201: {
      description: "Created",
      schema: CreatedWorkflow,
      headers: { Location: "the workflow's URL" },
    },
  },
  async handle({ env, identity, body }) {
    // Checked here too so a bad state is reported at /initialState, before anything is written.
    if (body.initialState !== undefined) {
      parsePart(JsonRecord, body.initialState, "/initialState");
      parsePart(WorkflowStateDocument, body.initialState, "/initialState");
    }
    const workflowId = `wf_${crypto.randomUUID()}`;
    const created = await call(
      env.STATE.create({ workflowId, state: body.initialState ?? {}, author: identity.author }),
      { "/state": "/initialState" },
    );
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
    const workflow = await call(env.COORDINATOR.registerWorkflow({ record }));
    return json({ workflow, version: created.version }, 201, {
      location: `/api/workflows/${workflowId}`,
    });
  },
});

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
  responses: { 200: { description: "The workflow", schema: RecordSchema } },
  async handle({ env, params }) {
    return json(await call(env.COORDINATOR.getWorkflow({ workflowId: params.id }), WORKFLOW));
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

/** `GET /api/workflows/{id}/noop`: gateway → binding → Durable Object and back, no work. */
export const noop = defineRoute({
  method: "GET",
  path: "/api/workflows/:id/noop",
  operationId: "noop",
  summary: "Round trip to the workflow's Durable Object (benchmark floor)",
  tag: "workflows",
  access: "reader",
  params: WorkflowPath,
  responses: { 200: { description: "Always `{ ok: true }`", schema: NoopResult } },
  async handle({ env, params }) {
    await call(env.STATE.noop({ workflowId: params.id }), WORKFLOW);
    return json({ ok: true });
  },
});

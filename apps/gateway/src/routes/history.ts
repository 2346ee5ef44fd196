import { AuditPage, DiffResult, HistoryPage, IntegrityReport } from "@chorus/core";
import { json } from "../respond.ts";
import { defineRoute } from "../route.ts";
import { call } from "../rpc.ts";
import { AuditQuery } from "../schemas/history.ts";
import { WorkflowPath } from "../schemas/params.ts";
import { DiffQuery, HistoryQuery } from "../schemas/state.ts";

const WORKFLOW = { "/workflowId": "/params/id" };

/** `GET /api/workflows/{id}/history`: version metadata, newest first. */
export const history = defineRoute({
  method: "GET",
  path: "/api/workflows/:id/history",
  operationId: "getHistory",
  summary: "List versions",
  description: "Newest first, every branch or one; pass `nextCursor` back as `cursor`.",
  tag: "history",
  access: "reader",
  params: WorkflowPath,
  query: HistoryQuery,
  responses: { 200: { description: "A page of versions", schema: HistoryPage } },
  async handle({ env, params, query }) {
    const page = await call(env.STATE.history({ workflowId: params.id, ...query }), {
      ...WORKFLOW,
      "": "/query",
    });
    return json(page);
  },
});

/** `GET /api/workflows/{id}/diff?from=&to=`: the JSON Patch between two versions. */
export const diff = defineRoute({
  method: "GET",
  path: "/api/workflows/:id/diff",
  operationId: "getDiff",
  summary: "Diff two versions",
  tag: "history",
  access: "reader",
  params: WorkflowPath,
  query: DiffQuery,
  responses: { 200: { description: "The patch from `from` to `to`", schema: DiffResult } },
  async handle({ env, params, query }) {
    const result = await call(env.STATE.diff({ workflowId: params.id, ...query }), {
      ...WORKFLOW,
      "": "/query",
    });
    return json(result);
  },
});

/** `GET /api/workflows/{id}/integrity`: every version rebuilt and its checksum recomputed. */
export const integrity = defineRoute({
  method: "GET",
  path: "/api/workflows/:id/integrity",
  operationId: "checkIntegrity",
  summary: "Verify the history",
  description: "Rebuilds every version, recomputes its checksum and checks the version graph.",
  tag: "history",
  access: "reader",
  params: WorkflowPath,
  responses: { 200: { description: "The report", schema: IntegrityReport } },
  async handle({ env, params }) {
    return json(await call(env.STATE.verifyIntegrity({ workflowId: params.id }), WORKFLOW));
  },
});

/** `GET /api/workflows/{id}/audit`: who changed what, when. */
export const audit = defineRoute({
  method: "GET",
  path: "/api/workflows/:id/audit",
  operationId: "getAudit",
  summary: "Read the audit trail",
  description: "Every commit, snapshot, restore, merge, conflict and resolution, newest first.",
  tag: "history",
  access: "reader",
  params: WorkflowPath,
  query: AuditQuery,
  responses: { 200: { description: "A page of entries", schema: AuditPage } },
  async handle({ env, params, query }) {
    const page = await call(env.STATE.auditLog({ workflowId: params.id, ...query }), {
      ...WORKFLOW,
      "": "/query",
    });
    return json(page);
  },
});

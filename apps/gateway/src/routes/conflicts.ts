import { CommitResult, ConflictList } from "@chorus/core";
import { etagOf } from "../etag.ts";
import { problemSpec } from "../problem.ts";
import { json } from "../respond.ts";
import { defineRoute } from "../route.ts";
import { call } from "../rpc.ts";
import { ConflictsQuery, ResolveBody } from "../schemas/history.ts";
import { ConflictPath, WorkflowPath } from "../schemas/params.ts";

const WORKFLOW = { "/workflowId": "/params/id" };

/** `GET /api/workflows/{id}/conflicts`: queued conflicts, oldest first. */
export const listConflicts = defineRoute({
  method: "GET",
  path: "/api/workflows/:id/conflicts",
  operationId: "listConflicts",
  summary: "List conflicts",
  tag: "conflicts",
  access: "reader",
  params: WorkflowPath,
  query: ConflictsQuery,
  responses: {
    200: { description: "Oldest first", schema: ConflictList },
  },
  async handle({ env, params, query }) {
    const conflicts = await call(env.STATE.listConflicts({ workflowId: params.id, ...query }), {
      ...WORKFLOW,
      "/status": "/query/status",
    });
    return json({ conflicts });
  },
});

/** `POST /api/workflows/{id}/conflicts/{cid}/resolve`: settle a queued conflict. */
export const resolveConflict = defineRoute({
  method: "POST",
  path: "/api/workflows/:id/conflicts/:cid/resolve",
  operationId: "resolveConflict",
  summary: "Resolve a conflict",
  description:
    "`ours`, `theirs`, or `{ values: { <pointer>: value } }` for every conflicting path; " +
    "commits a merge version against the branch's current head.",
  tag: "conflicts",
  access: "writer",
  params: ConflictPath,
  body: { schema: ResolveBody },
  responses: {
    201: { description: "The resolution's version", schema: CommitResult },
    409: problemSpec(
      "The conflict was resolved before, or the strategy left conflicts; or a review gate " +
        "protects what the resolution would change (`REVIEW_REQUIRED`)",
    ),
  },
  async handle({ env, identity, params, body }) {
    const input = {
      workflowId: params.id,
      conflictId: params.cid,
      resolution: body.resolution,
      author: identity.author,
    };
    const result = await call(env.STATE.resolveConflict(input), {
      ...WORKFLOW,
      "/conflictId": "/params/cid",
    });
    return json(result, 201, { etag: etagOf(result.version.checksum) });
  },
});

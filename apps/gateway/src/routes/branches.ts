import { Branch, BranchList, CommitResult } from "@chorus/core";
import { etagOf } from "../etag.ts";
import { problemSpec } from "../problem.ts";
import { json } from "../respond.ts";
import { defineRoute } from "../route.ts";
import { call } from "../rpc.ts";
import { BranchBody, MergeBody } from "../schemas/history.ts";
import { BranchPath, WorkflowPath } from "../schemas/params.ts";

const WORKFLOW = { "/workflowId": "/params/id" };

/** `POST /api/workflows/{id}/branches`: start a branch. */
export const createBranch = defineRoute({
  method: "POST",
  path: "/api/workflows/:id/branches",
  operationId: "createBranch",
  summary: "Start a branch",
  description: "At `fromVersion`, or the head of `main`.",
  tag: "branches",
  access: "writer",
  params: WorkflowPath,
  body: { schema: BranchBody },
  responses: {
    201: { description: "The branch", schema: Branch, headers: { Location: "its state" } },
    409: problemSpec("A branch with this name exists"),
  },
  async handle({ env, identity, params, body }) {
    const branch = await call(
      env.STATE.createBranch({ workflowId: params.id, author: identity.author, ...body }),
      WORKFLOW,
    );
    const state = `/api/workflows/${encodeURIComponent(params.id)}/state`;
    return json(branch, 201, { location: `${state}?branch=${encodeURIComponent(branch.name)}` });
  },
});

/** `GET /api/workflows/{id}/branches`: every branch with its head. */
export const listBranches = defineRoute({
  method: "GET",
  path: "/api/workflows/:id/branches",
  operationId: "listBranches",
  summary: "List branches",
  tag: "branches",
  access: "reader",
  params: WorkflowPath,
  responses: {
    200: { description: "`main` first", schema: BranchList },
  },
  async handle({ env, params }) {
    const branches = await call(env.STATE.listBranches({ workflowId: params.id }), WORKFLOW);
    return json({ branches });
  },
});

/** `POST /api/workflows/{id}/branches/{name}/merge`: merge a branch into another. */
export const mergeBranch = defineRoute({
  method: "POST",
  path: "/api/workflows/:id/branches/:name/merge",
  operationId: "mergeBranch",
  summary: "Merge a branch",
  description:
    "Into `into` (default `main`): a fast-forward when it has not moved, else a three-way merge; " +
    "a conflict no strategy settles is queued and answered 409. Percent-encode `/` in `{name}`.",
  tag: "branches",
  access: "writer",
  params: BranchPath,
  body: { schema: MergeBody, optional: true },
  responses: {
    201: { description: "The merge version", schema: CommitResult },
    409: problemSpec(
      "Conflicts no strategy settled: queued as `conflictId`; or a review gate protects what " +
        "the merge would change on `into` (`REVIEW_REQUIRED`: open a review of the branch)",
    ),
  },
  async handle({ env, identity, params, body }) {
    const input = { workflowId: params.id, source: params.name, author: identity.author, ...body };
    const result = await call(env.STATE.mergeBranch(input), {
      ...WORKFLOW,
      "/source": "/params/name",
    });
    return json(result, 201, { etag: etagOf(result.version.checksum) });
  },
});

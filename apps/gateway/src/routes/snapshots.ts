import { CommitResult, Snapshot, SnapshotList } from "@chorus/core";
import { etagOf } from "../etag.ts";
import { problemSpec } from "../problem.ts";
import { json } from "../respond.ts";
import { defineRoute } from "../route.ts";
import { call } from "../rpc.ts";
import { RestoreBody, SnapshotBody } from "../schemas/history.ts";
import { WorkflowPath } from "../schemas/params.ts";

const WORKFLOW = { "/workflowId": "/params/id" };

/** `POST /api/workflows/{id}/snapshots`: mark a version to keep and restore later. */
export const createSnapshot = defineRoute({
  method: "POST",
  path: "/api/workflows/:id/snapshots",
  operationId: "createSnapshot",
  summary: "Take a snapshot",
  description: "Of `version`, or the head of `branch` (default `main`); the body may be empty.",
  tag: "snapshots",
  access: "writer",
  params: WorkflowPath,
  body: { schema: SnapshotBody, optional: true },
  responses: { 201: { description: "The snapshot", schema: Snapshot } },
  async handle({ env, identity, params, body }) {
    const snapshot = await call(
      env.STATE.createSnapshot({ workflowId: params.id, author: identity.author, ...body }),
      WORKFLOW,
    );
    return json(snapshot, 201);
  },
});

/** `GET /api/workflows/{id}/snapshots`: every snapshot, newest first. */
export const listSnapshots = defineRoute({
  method: "GET",
  path: "/api/workflows/:id/snapshots",
  operationId: "listSnapshots",
  summary: "List snapshots",
  tag: "snapshots",
  access: "reader",
  params: WorkflowPath,
  responses: {
    200: { description: "Newest first", schema: SnapshotList },
  },
  async handle({ env, params }) {
    const snapshots = await call(env.STATE.listSnapshots({ workflowId: params.id }), WORKFLOW);
    return json({ snapshots });
  },
});

/** `POST /api/workflows/{id}/restore`: a snapshot's state as a new version. */
export const restore = defineRoute({
  method: "POST",
  path: "/api/workflows/:id/restore",
  operationId: "restoreSnapshot",
  summary: "Restore a snapshot",
  description: "Commits the snapshot's state as a new version on `branch` (default `main`).",
  tag: "snapshots",
  access: "writer",
  params: WorkflowPath,
  body: { schema: RestoreBody },
  responses: {
    201: { description: "The new version", schema: CommitResult },
    409: problemSpec("A review gate protects what the restore would change (`REVIEW_REQUIRED`)"),
  },
  async handle({ env, identity, params, body }) {
    const result = await call(
      env.STATE.restore({ workflowId: params.id, author: identity.author, ...body }),
      WORKFLOW,
    );
    return json(result, 201, { etag: etagOf(result.version.checksum) });
  },
});

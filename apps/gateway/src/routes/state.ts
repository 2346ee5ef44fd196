import { CommitResult, JsonPatch, ReviewOpened, StateRead } from "@chorus/core";
import type * as v from "valibot";
import { etagOf, noneMatchChecksums } from "../etag.ts";
import { problemSpec } from "../problem.ts";
import { json, jsonWithText } from "../respond.ts";
import { defineRoute, type RouteContext } from "../route.ts";
import { call } from "../rpc.ts";
import { WorkflowPath } from "../schemas/params.ts";
import {
  CommitBody,
  CommitHeaders,
  GetStateHeaders,
  GetStateQuery,
  PatchStateQuery,
} from "../schemas/state.ts";

const WORKFLOW = { "/workflowId": "/params/id" };
const COMMIT_HEADERS = {
  "/ifMatch": "/headers/if-match",
  "/idempotencyKey": "/headers/idempotency-key",
};
const COMMITTED = {
  description: "Committed (or, with a repeated Idempotency-Key, the first commit's result)",
  schema: CommitResult,
  headers: {
    ETag: "the new version's checksum",
    Location: "the new version's state",
    "Idempotent-Replayed": "`true` when this is an earlier commit's result",
  },
};
const DIVERTED = {
  description:
    "A review gate protects what the write changes on its branch: it landed on a new review " +
    "branch `review/<rid>` instead, and waits there for approvals",
  schema: ReviewOpened,
  headers: { Location: "the review" },
};

/** `GET /api/workflows/{id}/state`: a version's state, with its checksum as ETag. */
export const getState = defineRoute({
  method: "GET",
  path: "/api/workflows/:id/state",
  operationId: "getState",
  summary: "Read the state",
  description:
    "The head of `branch` (default `main`) or `version`, whole or the subtree at `path`. " +
    "`ETag` is the version's checksum; `If-None-Match` with it answers 304.",
  tag: "state",
  access: "reader",
  params: WorkflowPath,
  query: GetStateQuery,
  headers: GetStateHeaders,
  responses: {
    200: {
      description: "The state",
      schema: StateRead,
      headers: { ETag: "the version's checksum" },
    },
    304: { description: "Not modified: If-None-Match names this version" },
  },
  async handle({ env, params, query, headers }) {
    const noneMatch = headers["if-none-match"];
    const ifNoneMatch = noneMatch === undefined ? undefined : noneMatchChecksums(noneMatch);
    // As text: the state crosses RPC as one string and goes out as it came, unparsed; and not
    // at all when the client already holds this version (the state manager checks).
    const read = await call(
      env.STATE.getStateText({
        workflowId: params.id,
        ...query,
        ...(ifNoneMatch === undefined ? {} : { ifNoneMatch }),
      }),
      {
        ...WORKFLOW,
        "/version": "/query/version",
        "/branch": "/query/branch",
        "/path": "/query/path",
      },
    );
    // no-cache: a cache may keep the state but must revalidate it (If-None-Match) before use.
    const caching = { etag: etagOf(read.version.checksum), "cache-control": "private, no-cache" };
    if ("notModified" in read) return new Response(null, { status: 304, headers: caching });
    return jsonWithText({ ...read.version, path: read.path }, "state", read.json, 200, caching);
  },
});

/** `POST /api/workflows/{id}/state`: commit a whole state. */
export const commitState = defineRoute({
  method: "POST",
  path: "/api/workflows/:id/state",
  operationId: "commitState",
  summary: "Commit a new state",
  description:
    "From `baseVersion` (three-way merged when the head has moved), or guarded by " +
    '`If-Match: "<checksum>"` of the head (412 otherwise). A conflict no strategy settles is ' +
    "queued and answered 409 with its `conflictId`. The author is the caller's identity.",
  tag: "state",
  access: "writer",
  params: WorkflowPath,
  headers: CommitHeaders,
  body: { schema: CommitBody },
  responses: {
    201: COMMITTED,
    202: DIVERTED,
    409: problemSpec("Overlapping edits no strategy settled: queued as `conflictId`"),
    412: problemSpec("If-Match does not name the branch head"),
  },
  async handle(context) {
    const { state, changeDescription, baseVersion, branch } = context.body;
    return commit(context, { state, changeDescription, baseVersion, branch }, {});
  },
});

/** `PATCH /api/workflows/{id}/state`: commit a JSON Patch. */
export const patchState = defineRoute({
  method: "PATCH",
  path: "/api/workflows/:id/state",
  operationId: "patchState",
  summary: "Commit a JSON Patch",
  description:
    "The body is the bare JSON Patch (`application/json-patch+json`), applied to `baseVersion` " +
    "(query) or, with `If-Match`, to the head that has that checksum. A `test` operation that " +
    "fails is a conflict with the state (409), not a failed precondition (RFC 5789 §2.2).",
  tag: "state",
  access: "writer",
  params: WorkflowPath,
  query: PatchStateQuery,
  headers: CommitHeaders,
  body: { schema: JsonPatch, mediaType: "application/json-patch+json" },
  responses: {
    201: COMMITTED,
    202: DIVERTED,
    409: problemSpec(
      "Overlapping edits no strategy settled: queued as `conflictId`; or a `test` operation " +
        "failed (`PATCH_TEST_FAILED`, nothing queued, no `conflictId`)",
    ),
    412: problemSpec("If-Match does not name the branch head"),
  },
  async handle(context) {
    const { baseVersion, branch, changeDescription } = context.query;
    return commit(
      context,
      { patch: context.body, changeDescription, baseVersion, branch },
      {
        "/patch": "",
        "/baseVersion": "/query/baseVersion",
        "/branch": "/query/branch",
        "/changeDescription": "/query/changeDescription",
      },
    );
  },
});

interface Write {
  state?: unknown;
  patch?: unknown;
  changeDescription: string | undefined;
  baseVersion: number | undefined;
  branch: string | undefined;
}

type CommitContext = RouteContext<
  v.InferOutput<typeof WorkflowPath>,
  unknown,
  v.InferOutput<typeof CommitHeaders>,
  unknown
>;

async function commit(
  { env, identity, params, headers }: CommitContext,
  write: Write,
  paths: Record<string, string>,
): Promise<Response> {
  const input = {
    workflowId: params.id,
    author: identity.author,
    ...defined({
      state: write.state,
      patch: write.patch,
      changeDescription: write.changeDescription,
      baseVersion: write.baseVersion,
      branch: write.branch,
      ifMatch: headers["if-match"],
      idempotencyKey: headers["idempotency-key"],
    }),
  };
  const result = await call(env.STATE.commit(input), { ...WORKFLOW, ...COMMIT_HEADERS, ...paths });
  const { version } = result;
  if (result.review !== undefined) {
    const { review } = result;
    const location = `/api/workflows/${encodeURIComponent(params.id)}/reviews/${encodeURIComponent(review.id)}`;
    return json({ review, version }, 202, {
      location,
      ...(result.replayed ? { "idempotent-replayed": "true" } : {}),
    });
  }
  return json(result, 201, {
    etag: etagOf(version.checksum),
    location: `/api/workflows/${encodeURIComponent(params.id)}/state?version=${version.version}`,
    ...(result.replayed ? { "idempotent-replayed": "true" } : {}),
  });
}

/** Drops members whose value is `undefined`, which RPC would otherwise carry as present keys. */
function defined<T extends Record<string, unknown>>(input: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(input).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

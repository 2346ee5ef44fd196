import {
  buildContextView,
  ChorusError,
  CONTEXT_RECENT_VERSIONS,
  ContextView,
  type JsonValue,
} from "@chorus/core";
import { ContextCache, type ContextKey } from "../context-cache.ts";
import type { Env } from "../env.ts";
import { defineRoute } from "../route.ts";
import { call } from "../rpc.ts";
import { ContextQuery } from "../schemas/context.ts";
import { WorkflowPath } from "../schemas/params.ts";
import { tokenCounter } from "../token-count.ts";

const WORKFLOW = { "/workflowId": "/params/id" };

/** `GET /api/workflows/{id}/context`: the most relevant part of a version within a budget. */
export const getContext = defineRoute({
  method: "GET",
  path: "/api/workflows/:id/context",
  operationId: "getContext",
  summary: "Read a token-budgeted context",
  description:
    "The most relevant part of `version` (default: the head of `main`) that fits `budget` " +
    "tokens of `o200k_base`: the `focus` (a JSON Pointer), the status, open tasks, recent " +
    "versions and decisions, then counts of finished tasks and agents, then `data` and " +
    "`metadata`. Values are copied, never rewritten; `omitted` names every part cut (`budget`), " +
    "counted instead (`condensed`) or already under the focus (`repeated`). The same version, " +
    "budget and focus always give the same answer, cached per version.",
  tag: "context",
  access: "reader",
  params: WorkflowPath,
  query: ContextQuery,
  responses: {
    200: {
      description: "The view",
      schema: ContextView,
      headers: { "X-Chorus-Cache": "`hit` when the view was served from the per-version cache" },
    },
  },
  async handle({ env, params, query }) {
    const workflowId = params.id;
    const version = query.version ?? (await headOfMain(env, workflowId));
    const key: ContextKey = { workflowId, version, budget: query.budget, focus: query.focus };
    const cache = new ContextCache(caches.default);
    const cached = await cache.get(key);
    if (cached !== undefined) return answer(cached, "hit");
    const [read, feed, conflicts, count] = await Promise.all([
      call(env.STATE.getState({ workflowId, version }), {
        ...WORKFLOW,
        "/version": "/query/version",
      }),
      call(
        env.STATE.changesSince({
          workflowId,
          version: Math.max(0, version - CONTEXT_RECENT_VERSIONS),
          limit: CONTEXT_RECENT_VERSIONS,
        }),
        WORKFLOW,
      ),
      call(env.STATE.listConflicts({ workflowId, status: "resolved" }), WORKFLOW),
      tokenCounter(),
    ]);
    const view = build(
      {
        version,
        state: read.state as JsonValue,
        recent: feed.entries,
        conflicts,
        budget: query.budget,
        focus: query.focus,
      },
      count,
    );
    // Kept before answering, so the next request for it is a hit; a cache failing costs nothing.
    await cache.put(key, view).catch((error: unknown) => console.error("context cache", error));
    return answer(JSON.stringify(view), "miss");
  },
});

/** The newest version on `main`, where a read without `version` starts. */
async function headOfMain(env: Env, workflowId: string): Promise<number> {
  const page = await call(env.STATE.history({ workflowId, branch: "main", limit: 1 }), WORKFLOW);
  const head = page.versions[0];
  if (head === undefined) throw new ChorusError("NOT_FOUND", "the workflow has no versions");
  return head.version;
}

/** Core's view, its errors about the focus moved to the query parameter. */
function build(...args: Parameters<typeof buildContextView>) {
  try {
    return buildContextView(...args);
  } catch (error) {
    if (error instanceof ChorusError && error.path === "/focus") throw error.under("/query");
    throw error;
  }
}

function answer(text: string, cache: "hit" | "miss"): Response {
  return new Response(text, {
    headers: { "content-type": "application/json", "x-chorus-cache": cache },
  });
}

import { ChorusError, ContextView } from "@chorus/core";
import { ContextCache, type ContextKey } from "../context-cache.ts";
import type { Env } from "../env.ts";
import { defineRoute } from "../route.ts";
import { call } from "../rpc.ts";
import { ContextQuery } from "../schemas/context.ts";
import { WorkflowPath } from "../schemas/params.ts";

const WORKFLOW = { "/workflowId": "/params/id" };
// The optimizer's input fields, as the request sent them.
const OPTIMIZER = {
  ...WORKFLOW,
  "/version": "/query/version",
  "/budget": "/query/budget",
  "/focus": "/query/focus",
};

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
    "budget and focus always give the same answer, cached per version. Built by the " +
    "workflow's Context Optimizer (apps/agents), which keeps every view it builds.",
  tag: "context",
  access: "reader",
  params: WorkflowPath,
  query: ContextQuery,
  responses: {
    200: {
      description: "The view",
      schema: ContextView,
      headers: {
        "X-Chorus-Cache":
          "`hit` when the view was served from a per-version cache (the gateway's or the " +
          "optimizer's store), `miss` when it was built for this request",
      },
    },
  },
  async handle({ env, params, query }) {
    const workflowId = params.id;
    const version = query.version ?? (await headOfMain(env, workflowId));
    const key: ContextKey = { workflowId, version, budget: query.budget, focus: query.focus };
    const cache = new ContextCache(caches.default);
    const cached = await cache.get(key);
    if (cached !== undefined) return answer(cached, "hit");
    const made = await call(
      env.AGENTS.context({
        workflowId,
        version,
        budget: query.budget,
        ...(query.focus === undefined ? {} : { focus: query.focus }),
      }),
      OPTIMIZER,
    );
    // Kept before answering, so the next request for it is a hit; a cache failing costs nothing.
    await cache
      .put(key, made.view)
      .catch((error: unknown) => console.error("context cache", error));
    return answer(made.view, made.stored ? "hit" : "miss");
  },
});

/** The newest version on `main`, where a read without `version` starts. */
async function headOfMain(env: Env, workflowId: string): Promise<number> {
  const page = await call(env.STATE.history({ workflowId, branch: "main", limit: 1 }), WORKFLOW);
  const head = page.versions[0];
  if (head === undefined) throw new ChorusError("NOT_FOUND", "the workflow has no versions");
  return head.version;
}

function answer(text: string, cache: "hit" | "miss"): Response {
  return new Response(text, {
    headers: { "content-type": "application/json", "x-chorus-cache": cache },
  });
}

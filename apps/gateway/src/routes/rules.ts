import { NewRule, RuleAnswer, RuleDetail, RuleList, WebhookDeliveryList } from "@chorus/core";
import { json } from "../respond.ts";
import { defineRoute } from "../route.ts";
import { call } from "../rpc.ts";
import { WorkflowPath } from "../schemas/params.ts";
import { RulePath } from "../schemas/rules.ts";

const WORKFLOW = { "/workflowId": "/params/id" };
const RULE = { ...WORKFLOW, "/ruleId": "/params/rid" };

/** `POST /api/workflows/{id}/rules`: add a Pattern Bridge rule. */
export const createRule = defineRoute({
  method: "POST",
  path: "/api/workflows/:id/rules",
  operationId: "createRule",
  summary: "Add a rule to the workflow's Pattern Bridge",
  description:
    "`when` a version changes something under `path` (a pointer glob) and `test` holds " +
    "(`changed`, `exists`, `equals`/`in` a `value`; with `every`, for every match in the " +
    "state), `then` `set` a value, `createTask`, or POST a signed `webhook` " +
    "(`X-Chorus-Signature: t=<unix>,v1=<hex HMAC-SHA256 of t.body>`). Each rule acts once per " +
    "matching version; it is not triggered by its own commits, and chains stop at depth 5. " +
    "Spawns the bridge when none runs. A bad rule is 422 naming the field. The webhook's " +
    "`secret` is never shown again.",
  tag: "rules",
  access: "writer",
  params: WorkflowPath,
  body: { schema: NewRule },
  responses: {
    201: { description: "Added", schema: RuleAnswer, headers: { Location: "the rule" } },
  },
  async handle({ env, identity, params, body }) {
    await call(env.COORDINATOR.getWorkflow({ workflowId: params.id }), WORKFLOW);
    const rule = await call(
      env.AGENTS.createRule({ workflowId: params.id, rule: body, createdBy: identity.author }),
      { ...WORKFLOW, "/rule": "" },
    );
    return json({ rule }, 201, { location: `/api/workflows/${params.id}/rules/${rule.id}` });
  },
});

/** `GET /api/workflows/{id}/rules`. */
export const listRules = defineRoute({
  method: "GET",
  path: "/api/workflows/:id/rules",
  operationId: "listRules",
  summary: "List the workflow's rules",
  tag: "rules",
  access: "reader",
  params: WorkflowPath,
  responses: { 200: { description: "Oldest first", schema: RuleList } },
  async handle({ env, params }) {
    await call(env.COORDINATOR.getWorkflow({ workflowId: params.id }), WORKFLOW);
    return json({ rules: await call(env.AGENTS.listRules({ workflowId: params.id }), WORKFLOW) });
  },
});

/** `GET /api/workflows/{id}/rules/{rid}`. */
export const getRule = defineRoute({
  method: "GET",
  path: "/api/workflows/:id/rules/:rid",
  operationId: "getRule",
  summary: "Get a rule and what it did",
  description:
    "`firings`: the latest 50 versions the rule fired for, newest first: `done` with its " +
    "effect, `skipped` (a chain reached the depth limit, with the reason) or `failed` (the " +
    "effect was refused, with the reason).",
  tag: "rules",
  access: "reader",
  params: RulePath,
  responses: { 200: { description: "The rule and its firings", schema: RuleDetail } },
  async handle({ env, params }) {
    return json(
      await call(env.AGENTS.getRule({ workflowId: params.id, ruleId: params.rid }), RULE),
    );
  },
});

/** `DELETE /api/workflows/{id}/rules/{rid}`. */
export const deleteRule = defineRoute({
  method: "DELETE",
  path: "/api/workflows/:id/rules/:rid",
  operationId: "deleteRule",
  summary: "Delete a rule",
  description: "Its webhooks not yet delivered are given up.",
  tag: "rules",
  access: "writer",
  params: RulePath,
  responses: { 204: { description: "Deleted" } },
  async handle({ env, params }) {
    await call(env.AGENTS.deleteRule({ workflowId: params.id, ruleId: params.rid }), RULE);
    return new Response(null, { status: 204 });
  },
});

/** `GET /api/workflows/{id}/rules/{rid}/deliveries`. */
export const ruleDeliveries = defineRoute({
  method: "GET",
  path: "/api/workflows/:id/rules/:rid/deliveries",
  operationId: "listRuleDeliveries",
  summary: "List a rule's webhook deliveries",
  description:
    "One per version the rule fired for, newest first: `pending` (retried with backoff), " +
    "`delivered` (a 2xx came back) or `failed` (8 attempts), with every attempt's status or error.",
  tag: "rules",
  access: "reader",
  params: RulePath,
  responses: { 200: { description: "Newest first", schema: WebhookDeliveryList } },
  async handle({ env, params }) {
    const deliveries = await call(
      env.AGENTS.ruleDeliveries({ workflowId: params.id, ruleId: params.rid }),
      RULE,
    );
    return json({ deliveries });
  },
});

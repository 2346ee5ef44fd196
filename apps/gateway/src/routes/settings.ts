import { WorkflowSettings as Settings, SettingsPatch } from "@chorus/core";
import { json } from "../respond.ts";
import { defineRoute } from "../route.ts";
import { call } from "../rpc.ts";
import { WorkflowPath } from "../schemas/params.ts";

const WORKFLOW = { "/workflowId": "/params/id" };

/** `GET /api/workflows/{id}/settings`: merge strategies, policies and limits in force. */
export const getSettings = defineRoute({
  method: "GET",
  path: "/api/workflows/:id/settings",
  operationId: "getSettings",
  summary: "Read a workflow's settings",
  tag: "settings",
  access: "reader",
  params: WorkflowPath,
  responses: { 200: { description: "The settings", schema: Settings } },
  async handle({ env, params }) {
    return json(await call(env.STATE.getSettings({ workflowId: params.id }), WORKFLOW));
  },
});

/** `PATCH /api/workflows/{id}/settings`: change some settings (admin). */
export const updateSettings = defineRoute({
  method: "PATCH",
  path: "/api/workflows/:id/settings",
  operationId: "updateSettings",
  summary: "Change a workflow's settings",
  description:
    "Members left out keep their value; `archivePolicy` and `limits` merge member by member. " +
    "A change is recorded in the audit trail (`settings.updated`, by the caller, with the " +
    "changed members before and after), review gates included.",
  tag: "settings",
  access: "admin",
  params: WorkflowPath,
  body: { schema: SettingsPatch },
  responses: { 200: { description: "The settings now in force", schema: Settings } },
  async handle({ env, identity, params, body }) {
    const input = { workflowId: params.id, settings: body, author: identity.author };
    const settings = await call(env.STATE.configure(input), {
      ...WORKFLOW,
      "/settings": "",
    });
    return json(settings);
  },
});

import {
  Overview,
  summarizeOverview,
  type WorkflowRecord,
  type WorkflowSample,
} from "@chorus/core";
import type { Env } from "../env.ts";
import { json } from "../respond.ts";
import { defineRoute } from "../route.ts";
import { call } from "../rpc.ts";

// Bounds on the fan-out of one overview: registry pages read, workflows looked at in detail, and
// versions read from each.
const MAX_PAGES = 10;
const SAMPLE = 20;
const VERSIONS = 50;
const ACTIVE = new Set<WorkflowRecord["status"]>(["pending", "running", "paused"]);

/**
 * `GET /api/overview`: the dashboard's figures across workflows. It is gathered on each request
 * from the registry and the newest workflows' state managers; summing up is core's
 * `summarizeOverview`, so an agent that keeps these figures from change deliveries can serve the
 * same answer.
 */
export const overview = defineRoute({
  method: "GET",
  path: "/api/overview",
  operationId: "getOverview",
  summary: "Live figures across workflows",
  description:
    "Workflows by status (up to 1,000, newest first), agents and their load, and for the " +
    `${SAMPLE} newest workflows (those pending, running or paused first): tasks by status, open ` +
    "conflicts, recent activity, and commit and conflict rates over the last five minutes.",
  tag: "workflows",
  access: "reader",
  responses: { 200: { description: "The overview", schema: Overview } },
  async handle({ env }) {
    const [workflows, agents] = await Promise.all([
      allWorkflows(env),
      call(env.COORDINATOR.listAgents({})),
    ]);
    const picked = [
      ...workflows.filter((record) => ACTIVE.has(record.status)),
      ...workflows.filter((record) => !ACTIVE.has(record.status)),
    ].slice(0, SAMPLE);
    const samples = await Promise.all(picked.map((workflow) => sample(env, workflow)));
    const body = summarizeOverview({ now: Date.now(), workflows, agents, samples });
    return json(body, 200, { "cache-control": "no-store" });
  },
});

async function allWorkflows(env: Env): Promise<WorkflowRecord[]> {
  const records: WorkflowRecord[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = { limit: 100, ...(cursor === undefined ? {} : { cursor }) };
    const { workflows, nextCursor } = await call(env.COORDINATOR.listWorkflows(query));
    records.push(...workflows);
    if (nextCursor === null) break;
    cursor = nextCursor;
  }
  return records;
}

async function sample(env: Env, workflow: WorkflowRecord): Promise<WorkflowSample> {
  const workflowId = workflow.id;
  const [tasks, conflicts, history] = await Promise.all([
    call(env.STATE.listTasks({ workflowId })),
    call(env.STATE.listConflicts({ workflowId })),
    call(env.STATE.history({ workflowId, limit: VERSIONS })),
  ]);
  return { workflow, tasks: tasks.tasks, conflicts, versions: history.versions };
}

import { SpawnAgent, SpawnedAgentAnswer, SpawnedAgentList } from "@chorus/core";
import { problemSpec } from "../problem.ts";
import { json } from "../respond.ts";
import { defineRoute } from "../route.ts";
import { call } from "../rpc.ts";
import { WorkflowPath } from "../schemas/params.ts";
import { SpawnedAgentPath } from "../schemas/spawned-agents.ts";

const WORKFLOW = { "/workflowId": "/params/id" };
const AGENT = { ...WORKFLOW, "/agentId": "/params/agentId" };

/** `POST /api/workflows/{id}/agents`: spawn a built-in agent, or answer the one running. */
export const spawnAgent = defineRoute({
  method: "POST",
  path: "/api/workflows/:id/agents",
  operationId: "spawnAgent",
  summary: "Spawn a built-in agent for a workflow",
  description:
    "Starts the workflow's agent of `type` (one per workflow and type): it registers with the " +
    "coordinator, follows the workflow's changes and works on its tasks. The same request again " +
    "answers 200 with the same agent; another `config` while it runs is 409 `ALREADY_EXISTS` " +
    "(stop it first). An unknown workflow is 404.",
  tag: "agents",
  access: "writer",
  params: WorkflowPath,
  body: { schema: SpawnAgent },
  responses: {
    200: {
      description: "The agent already running, the same request again",
      schema: SpawnedAgentAnswer,
    },
    201: { description: "Spawned", schema: SpawnedAgentAnswer, headers: { Location: "the agent" } },
    409: problemSpec("An agent of this type runs with another config (`ALREADY_EXISTS`)"),
  },
  async handle({ env, identity, params, body }) {
    await call(env.COORDINATOR.getWorkflow({ workflowId: params.id }), WORKFLOW);
    const spawned = await call(
      env.AGENTS.spawnAgent({ workflowId: params.id, ...body, createdBy: identity.author }),
      WORKFLOW,
    );
    const location = `/api/workflows/${params.id}/agents/${spawned.agent.agentId}`;
    return json({ agent: spawned.agent }, spawned.created ? 201 : 200, { location });
  },
});

/** `GET /api/workflows/{id}/agents`: the workflow's running agents. */
export const listSpawnedAgents = defineRoute({
  method: "GET",
  path: "/api/workflows/:id/agents",
  operationId: "listSpawnedAgents",
  summary: "List a workflow's built-in agents",
  description: "Oldest first; stopped agents are left out.",
  tag: "agents",
  access: "reader",
  params: WorkflowPath,
  responses: { 200: { description: "Oldest first", schema: SpawnedAgentList } },
  async handle({ env, params }) {
    await call(env.COORDINATOR.getWorkflow({ workflowId: params.id }), WORKFLOW);
    return json({ agents: await call(env.AGENTS.listAgents({ workflowId: params.id }), WORKFLOW) });
  },
});

/** `DELETE /api/workflows/{id}/agents/{agentId}`: drain and stop a built-in agent. */
export const stopSpawnedAgent = defineRoute({
  method: "DELETE",
  path: "/api/workflows/:id/agents/:agentId",
  operationId: "stopSpawnedAgent",
  summary: "Drain and stop a built-in agent",
  description:
    "The agent takes no new task, finishes the one in hand and deregisters from the " +
    "coordinator: 200 `stopped` once done, 202 `draining` while a task is still in hand (it " +
    "stops by itself after). Stopping a stopped agent answers it again.",
  tag: "agents",
  access: "writer",
  params: SpawnedAgentPath,
  responses: {
    200: { description: "Stopped", schema: SpawnedAgentAnswer },
    202: {
      description: "Draining: it finishes its task in hand, then stops",
      schema: SpawnedAgentAnswer,
    },
  },
  async handle({ env, params }) {
    const agent = await call(
      env.AGENTS.stopAgent({ workflowId: params.id, agentId: params.agentId }),
      AGENT,
    );
    return json({ agent }, agent.status === "stopped" ? 200 : 202);
  },
});

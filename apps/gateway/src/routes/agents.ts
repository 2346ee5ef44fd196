import {
  AgentAnswer,
  AgentLeases,
  AgentList,
  type AgentRecord,
  NewAgent,
  RegisteredAgent,
  type TokenInfo,
} from "@chorus/core";
import { agentWorkflows, assertManages, canSee } from "../agent-access.ts";
import type { Identity } from "../auth.ts";
import type { Env } from "../env.ts";
import { HttpError } from "../problem.ts";
import { json } from "../respond.ts";
import { defineRoute } from "../route.ts";
import { call } from "../rpc.ts";
import { AgentPath, ListAgentsQuery } from "../schemas/agents.ts";
import { hashSecret, newSecret, newTokenId, shardOfHash, shardOfId } from "../token-secret.ts";

const AGENT = { "/agentId": "/params/agentId" };

/** `POST /api/agents`: register an agent and issue its token. */
export const createAgent = defineRoute({
  method: "POST",
  path: "/api/agents",
  operationId: "createAgent",
  summary: "Register an agent",
  description:
    "Registers an `idle` agent and issues its token: role `writer`, limited to `workflowIds`, " +
    "acting as `agent:<agentId>` (the author of its commits) and as no other agent. The secret " +
    "is shown once. A token limited to some workflows registers agents limited to those or " +
    "fewer (its own when `workflowIds` is absent); asking for others is 403.",
  tag: "agents",
  access: "writer",
  checksWorkflows: true,
  body: { schema: NewAgent },
  responses: {
    201: {
      description: "The agent and its token",
      schema: RegisteredAgent,
      headers: { Location: "the agent" },
    },
  },
  async handle({ env, identity, body }) {
    if (identity.agentId !== undefined) {
      throw new HttpError(403, "FORBIDDEN", "an agent's token cannot register agents");
    }
    const workflowIds = agentWorkflows(identity, body.workflowIds);
    const agentId = `ag_${randomHex(16)}`;
    const token = newSecret();
    const hash = await hashSecret(token);
    const info: TokenInfo = {
      id: newTokenId(hash),
      name: `agent:${agentId}`,
      role: "writer",
      workflowIds: workflowIds ?? null,
      createdAt: Date.now(),
    };
    const store = env.TOKENS.get(env.TOKENS.idFromName(shardOfHash(hash)));
    await store.insert({ ...info, hash, agentId });
    const spec = { ...body, ...(workflowIds === undefined ? {} : { workflowIds }) };
    const registration = { agentId, spec, createdBy: identity.author, tokenId: info.id };
    const registered = await env.COORDINATOR.registerAgent(registration);
    if (!registered.ok) await store.revoke(info.id);
    const agent = await call(Promise.resolve(registered), { "/spec": "" });
    return json({ agent, token }, 201, { location: `/api/agents/${agentId}` });
  },
});

/** `GET /api/agents`: agents matching every filter, oldest first. */
export const listAgents = defineRoute({
  method: "GET",
  path: "/api/agents",
  operationId: "listAgents",
  summary: "List agents",
  description:
    "`workflowId` lists agents limited to that workflow or holding leases in it. A token " +
    "limited to some workflows sees the agents that share one of them; an agent's token, itself.",
  tag: "agents",
  access: "reader",
  checksWorkflows: true,
  query: ListAgentsQuery,
  responses: { 200: { description: "Oldest first", schema: AgentList } },
  async handle({ env, identity, query }) {
    if (
      query.workflowId !== undefined &&
      identity.workflowIds?.includes(query.workflowId) === false
    ) {
      throw new HttpError(
        403,
        "FORBIDDEN",
        `the token is not valid for workflow ${query.workflowId}`,
      );
    }
    const agents = await call(env.COORDINATOR.listAgents(query), { "": "/query" });
    return json({ agents: agents.filter((agent) => canSee(identity, agent)) });
  },
});

/** `GET /api/agents/{agentId}`. */
export const getAgent = defineRoute({
  method: "GET",
  path: "/api/agents/:agentId",
  operationId: "getAgent",
  summary: "Get an agent",
  tag: "agents",
  access: "reader",
  checksWorkflows: true,
  params: AgentPath,
  responses: { 200: { description: "The agent", schema: AgentAnswer } },
  async handle({ env, identity, params }) {
    return json({ agent: await visibleAgent(env, identity, params.agentId) });
  },
});

/** `POST /api/agents/{agentId}/heartbeat`. */
export const heartbeatAgent = defineRoute({
  method: "POST",
  path: "/api/agents/:agentId/heartbeat",
  operationId: "heartbeatAgent",
  summary: "Tell the coordinator an agent is alive",
  description:
    "Any request made with the agent's token counts too. An agent unheard for `ttlMs` goes " +
    "`offline` and loses its leases; a heartbeat brings it back `idle`. A deregistered agent " +
    "is 404.",
  tag: "agents",
  access: "writer",
  hearsAgent: true,
  checksWorkflows: true,
  params: AgentPath,
  responses: { 200: { description: "The agent, heard", schema: AgentAnswer } },
  async handle({ env, identity, params }) {
    assertManages(identity, await visibleAgent(env, identity, params.agentId));
    const agent = await call(env.COORDINATOR.touchAgent({ agentId: params.agentId }), AGENT);
    return json({ agent });
  },
});

/** `DELETE /api/agents/{agentId}`: drain, then deregister and revoke the token. */
export const deleteAgent = defineRoute({
  method: "DELETE",
  path: "/api/agents/:agentId",
  operationId: "deleteAgent",
  summary: "Drain and deregister an agent",
  description:
    "The agent takes no new tasks. Without leases it is deregistered and its token revoked at " +
    "once (204). Holding leases it stays `draining` (202) until they complete or run out; send " +
    "DELETE again then to deregister it.",
  tag: "agents",
  access: "writer",
  checksWorkflows: true,
  params: AgentPath,
  responses: {
    202: { description: "Draining: it still holds leases", schema: AgentAnswer },
    204: { description: "Deregistered, its token revoked" },
  },
  async handle({ env, identity, params }) {
    assertManages(identity, await visibleAgent(env, identity, params.agentId));
    const drained = await call(env.COORDINATOR.drainAgent({ agentId: params.agentId }), AGENT);
    if (!drained.deregistered) return json({ agent: drained.agent }, 202);
    const tokenId = drained.agent.tokenId;
    if (tokenId !== undefined)
      await env.TOKENS.get(env.TOKENS.idFromName(shardOfId(tokenId))).revoke(tokenId);
    return new Response(null, { status: 204 });
  },
});

/** `GET /api/agents/{agentId}/leases`. */
export const agentLeases = defineRoute({
  method: "GET",
  path: "/api/agents/:agentId/leases",
  operationId: "listAgentLeases",
  summary: "List an agent's task leases",
  description: "How a pushed agent finds the tasks given to it, besides its change stream.",
  tag: "agents",
  access: "reader",
  checksWorkflows: true,
  params: AgentPath,
  responses: { 200: { description: "Soonest to expire first", schema: AgentLeases } },
  async handle({ env, identity, params }) {
    await visibleAgent(env, identity, params.agentId);
    return json(await call(env.COORDINATOR.agentLeases({ agentId: params.agentId }), AGENT));
  },
});

/**
 * @returns the agent
 * @throws 404 when there is none, 403 when the caller may not see it
 */
async function visibleAgent(env: Env, identity: Identity, agentId: string): Promise<AgentRecord> {
  const agent = await call(env.COORDINATOR.getAgent({ agentId }), AGENT);
  if (!canSee(identity, agent)) {
    throw new HttpError(403, "FORBIDDEN", `the token may not see agent ${agentId}`);
  }
  return agent;
}

function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (byte) =>
    byte.toString(16).padStart(2, "0"),
  ).join("");
}

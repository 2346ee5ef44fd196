import * as v from "valibot";
import { AgentCapabilities, AgentId } from "./agent-record.ts";
import { Count, Id, JsonRecord, Timestamp } from "./fields.ts";

/**
 * The agent types apps/agents hosts, one Durable Object class each: what
 * `POST /api/workflows/{id}/agents` may spawn. Adding a type starts here (apps/agents README).
 * The free-form `AgentType` names the type of any registered agent, ours or an outside one.
 */
export const BuiltinAgentType = v.picklist([
  "pattern-bridge",
  "linear",
  "review-manager",
  "context-optimizer",
]);

/** An agent type apps/agents hosts. */
export type BuiltinAgentType = v.InferOutput<typeof BuiltinAgentType>;

/**
 * Where a spawned agent is: `starting` (not yet registered with the coordinator), `running`,
 * `draining` (finishing its task in hand, taking no new one), `stopped` (deregistered).
 */
export const SpawnedAgentStatus = v.picklist(["starting", "running", "draining", "stopped"]);

/** Where a spawned agent is. */
export type SpawnedAgentStatus = v.InferOutput<typeof SpawnedAgentStatus>;

/**
 * The body of `POST /api/workflows/{id}/agents`. Unknown members are refused.
 * @example
 * v.parse(SpawnAgent, { type: "pattern-bridge" });
 */
export const SpawnAgent = v.strictObject({
  type: BuiltinAgentType,
  /** the type's own settings, kept with the agent */
  config: v.exactOptional(JsonRecord),
});

/** The body of `POST /api/workflows/{id}/agents`. */
export type SpawnAgent = v.InferOutput<typeof SpawnAgent>;

/** One agent a workflow spawned: one per workflow and type while it runs. */
export const SpawnedAgent = v.object({
  /** its id in the coordinator's agent registry */
  agentId: AgentId,
  workflowId: Id,
  type: BuiltinAgentType,
  status: SpawnedAgentStatus,
  config: JsonRecord,
  capabilities: AgentCapabilities,
  createdAt: Timestamp,
  /** the identity that spawned it */
  createdBy: Id,
  /** the last version of the workflow it has taken in; 0 before the first */
  appliedVersion: Count,
  /** what it counted so far: changes seen, tasks completed and failed, commits, errors */
  metrics: v.record(v.string(), Count),
  /** what the agent's type shows of its own work (the linear agent: what waits, the last error) */
  detail: v.exactOptional(JsonRecord),
  stoppedAt: v.exactOptional(Timestamp),
});

/** One agent a workflow spawned. */
export type SpawnedAgent = v.InferOutput<typeof SpawnedAgent>;

/** One spawned agent, wrapped, as the spawn routes answer. */
export const SpawnedAgentAnswer = v.object({ agent: SpawnedAgent });

/** One spawned agent, wrapped. */
export type SpawnedAgentAnswer = v.InferOutput<typeof SpawnedAgentAnswer>;

/** A workflow's spawned agents, oldest first; stopped ones are left out. */
export const SpawnedAgentList = v.object({ agents: v.array(SpawnedAgent) });

/** A workflow's spawned agents. */
export type SpawnedAgentList = v.InferOutput<typeof SpawnedAgentList>;

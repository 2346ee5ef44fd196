import * as v from "valibot";
import { Capabilities, Count, Id, JsonRecord, Timestamp } from "./fields.ts";
import { TokenId } from "./token-info.ts";

/** The shortest `ttlMs` an agent may ask for: below it heartbeats would cost more than work. */
export const MIN_AGENT_TTL_MS = 5_000;

/** The longest `ttlMs`: an hour, so a dead agent's leases never wait longer than that. */
export const MAX_AGENT_TTL_MS = 3_600_000;

/** How many leases one agent may hold at once, at most. */
export const MAX_AGENT_CONCURRENCY = 100;

/**
 * Where a registered agent is: `idle` (no leases), `busy` (holds leases), `draining` (takes no
 * new work; deregistered once its leases end), `offline` (unheard for `ttlMs`; leases released).
 */
export const AgentRecordStatus = v.picklist(["idle", "busy", "draining", "offline"]);

/** Where a registered agent is. */
export type AgentRecordStatus = v.InferOutput<typeof AgentRecordStatus>;

/** An agent id as the gateway makes it: `ag_` and 32 hex digits. */
export const AgentId = v.pipe(
  v.string(),
  v.regex(/^ag_[0-9a-f]{32}$/, "Invalid agent id: expected ag_ and 32 hex digits"),
);

/** An agent's display name. */
export const AgentName = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(200),
  v.regex(/\S/, "Invalid name: it is blank"),
);

/** The kind of agent, e.g. `reviewer`. */
export const AgentType = v.pipe(v.string(), v.minLength(1), v.maxLength(100));

/** The capabilities an agent offers: at most 50. */
export const AgentCapabilities = v.pipe(Capabilities, v.maxLength(50));

/** How many leases an agent holds at once, at most: 1 to {@link MAX_AGENT_CONCURRENCY}. */
export const MaxConcurrency = v.pipe(
  v.number(),
  v.safeInteger(),
  v.minValue(1),
  v.maxValue(MAX_AGENT_CONCURRENCY),
);

/** How long an agent may stay unheard before it goes offline, in milliseconds. */
export const AgentTtl = v.pipe(
  v.number(),
  v.safeInteger(),
  v.minValue(MIN_AGENT_TTL_MS),
  v.maxValue(MAX_AGENT_TTL_MS),
);

/** The workflows an agent works on: 1 to 100 ids. */
export const AgentWorkflowIds = v.pipe(v.array(Id), v.minLength(1), v.maxLength(100));

/**
 * The body of `POST /api/agents`. Unknown members are refused. Without `workflowIds` the agent
 * works on every workflow its registrar may touch.
 * @example
 * v.parse(NewAgent, { name: "r1", type: "reviewer", capabilities: ["ts"] });
 * // { name: "r1", type: "reviewer", capabilities: ["ts"], maxConcurrency: 1, ttlMs: 30000 }
 */
export const NewAgent = v.strictObject({
  name: AgentName,
  type: AgentType,
  capabilities: AgentCapabilities,
  maxConcurrency: v.exactOptional(MaxConcurrency, 1),
  ttlMs: v.exactOptional(AgentTtl, 30_000),
  workflowIds: v.exactOptional(AgentWorkflowIds),
  metadata: v.exactOptional(JsonRecord),
});

/** The body of `POST /api/agents`, defaults applied. */
export type NewAgent = v.InferOutput<typeof NewAgent>;

/**
 * What the agent registry keeps of one agent. `workflowIds` is `null` for an agent that may
 * work on every workflow; `leases` counts the task leases it holds across all its workflows.
 */
export const AgentRecord = v.object({
  id: AgentId,
  name: AgentName,
  type: AgentType,
  capabilities: AgentCapabilities,
  maxConcurrency: MaxConcurrency,
  ttlMs: AgentTtl,
  workflowIds: v.nullable(AgentWorkflowIds),
  metadata: v.exactOptional(JsonRecord),
  status: AgentRecordStatus,
  leases: Count,
  /** the last time anything was heard from it */
  lastSeenAt: Timestamp,
  createdAt: Timestamp,
  /** the identity that registered it */
  createdBy: Id,
  /** its API token, revoked when it is deregistered */
  tokenId: v.exactOptional(TokenId),
});

/** What the agent registry keeps of one agent. */
export type AgentRecord = v.InferOutput<typeof AgentRecord>;

/** The answer to `POST /api/agents`: the agent and its token's secret, shown this once. */
export const RegisteredAgent = v.object({
  agent: AgentRecord,
  /** the bearer token the agent acts with; store it now, it cannot be shown again */
  token: v.pipe(v.string(), v.minLength(1)),
});

/** The answer to `POST /api/agents`. */
export type RegisteredAgent = v.InferOutput<typeof RegisteredAgent>;

/** One agent, as a heartbeat or `GET /api/agents/{agentId}` answers it. */
export const AgentAnswer = v.object({ agent: AgentRecord });

/** One agent, wrapped. */
export type AgentAnswer = v.InferOutput<typeof AgentAnswer>;

/** Agents, oldest first. */
export const AgentList = v.object({ agents: v.array(AgentRecord) });

/** Agents, oldest first. */
export type AgentList = v.InferOutput<typeof AgentList>;

/** One task lease an agent holds. */
export const AgentLease = v.object({
  workflowId: Id,
  taskId: Id,
  leaseId: Id,
  expiresAt: Timestamp,
});

/** One task lease an agent holds. */
export type AgentLease = v.InferOutput<typeof AgentLease>;

/** The leases an agent holds, soonest to expire first. */
export const AgentLeases = v.object({ leases: v.array(AgentLease) });

/** The leases an agent holds. */
export type AgentLeases = v.InferOutput<typeof AgentLeases>;

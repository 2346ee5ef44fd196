import {
  AgentCapabilities,
  AgentId,
  AgentRecordStatus,
  AgentType,
  Id,
  NewAgent,
  Timestamp,
  TokenId,
} from "@chorus/core";
import * as v from "valibot";

/** The most tasks one claim may take. */
export const MAX_CLAIM = 50;

/** A lease's length bounds, in milliseconds, as the task board takes them. */
export const LeaseMs = v.pipe(
  v.number(),
  v.safeInteger(),
  v.minValue(1_000),
  v.maxValue(3_600_000),
);

/** The lease length a claim gets when it names none, as the task board defaults it. */
export const DEFAULT_LEASE_MS = 30_000;

/** Registers an agent whose id and token the gateway made. */
export const RegisterAgentInput = v.object({
  agentId: AgentId,
  spec: NewAgent,
  /** the identity that registers it */
  createdBy: Id,
  tokenId: v.optional(TokenId),
});
export type RegisterAgentInput = v.InferOutput<typeof RegisterAgentInput>;
export type RegisterAgentRequest = v.InferInput<typeof RegisterAgentInput>;

/** Addresses one agent. */
export const AgentRef = v.object({ agentId: AgentId });
export type AgentRef = v.InferOutput<typeof AgentRef>;
export type AgentRefRequest = v.InferInput<typeof AgentRef>;

/** Filters of an agent listing; all optional, all must hold. */
export const ListAgentsInput = v.object({
  workflowId: v.optional(Id),
  type: v.optional(AgentType),
  status: v.optional(AgentRecordStatus),
  capability: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(100))),
});
export type ListAgentsInput = v.InferOutput<typeof ListAgentsInput>;
export type ListAgentsRequest = v.InferInput<typeof ListAgentsInput>;

/** Holds up to `max` of an agent's free slots for a claim in `workflowId`. */
export const ReserveInput = v.object({
  agentId: AgentId,
  workflowId: Id,
  max: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(MAX_CLAIM)),
  leaseMs: LeaseMs,
});
export type ReserveInput = v.InferOutput<typeof ReserveInput>;

/**
 * A claim as the agent's shard runs it: reserve, ask the task board, settle. `leaseMs` as the
 * claim asked (the task's own when absent); `taskId` only for a push of that task.
 */
export const ShardClaimInput = v.object({
  agentId: AgentId,
  workflowId: Id,
  max: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(MAX_CLAIM)),
  leaseMs: v.optional(LeaseMs),
  taskId: v.optional(Id),
});
export type ShardClaimInput = v.InferOutput<typeof ShardClaimInput>;

/** One lease the task board granted. */
export const GrantedLease = v.object({ leaseId: Id, taskId: Id, expiresAt: Timestamp });
export type GrantedLease = v.InferOutput<typeof GrantedLease>;

/**
 * Turns a reservation into the leases the task board granted, freeing the slots left over; with
 * no reservation (the board counted the agent's capacity), records the leases.
 */
export const SettleInput = v.object({
  agentId: AgentId,
  workflowId: Id,
  reservationId: v.nullable(Id),
  leases: v.array(GrantedLease),
});
export type SettleInput = v.InferOutput<typeof SettleInput>;

/** A lease of an agent: extended (`expiresAt`) or ended (none). */
export const LeaseRef = v.object({
  agentId: AgentId,
  leaseId: Id,
  expiresAt: v.optional(Timestamp),
});
export type LeaseRef = v.InferOutput<typeof LeaseRef>;

/** A task whose lease, if the agent holds one, ended without the agent (it was cancelled). */
export const TaskLeaseRef = v.object({ agentId: AgentId, workflowId: Id, taskId: Id });
export type TaskLeaseRef = v.InferOutput<typeof TaskLeaseRef>;

/** What a pushed task needs of an agent. */
export const PushQuery = v.object({ workflowId: Id, capabilities: AgentCapabilities });
export type PushQuery = v.InferOutput<typeof PushQuery>;

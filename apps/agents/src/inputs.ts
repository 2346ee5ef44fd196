import {
  AgentId,
  BuiltinAgentType,
  ChangeDelivery,
  ContextBudget,
  ContextFocus,
  Id,
  JsonRecord,
  VersionNumber,
} from "@chorus/core";
import * as v from "valibot";

/** Spawns an agent of a type for a workflow (`AgentsService.spawnAgent`). */
export const SpawnInput = v.object({
  workflowId: Id,
  type: BuiltinAgentType,
  config: v.optional(JsonRecord),
  /** the identity that spawns it */
  createdBy: Id,
});
export type SpawnInput = v.InferOutput<typeof SpawnInput>;
export type SpawnRequest = v.InferInput<typeof SpawnInput>;

/** Addresses a workflow's agents. */
export const WorkflowRef = v.object({ workflowId: Id });
export type WorkflowRef = v.InferOutput<typeof WorkflowRef>;
export type WorkflowRefRequest = v.InferInput<typeof WorkflowRef>;

/** Addresses one spawned agent of a workflow. */
export const SpawnedAgentRef = v.object({ workflowId: Id, agentId: AgentId });
export type SpawnedAgentRef = v.InferOutput<typeof SpawnedAgentRef>;
export type SpawnedAgentRefRequest = v.InferInput<typeof SpawnedAgentRef>;

/** Adds a rule to a workflow's Pattern Bridge; `rule` is validated as core's `NewRule`. */
export const CreateRuleInput = v.object({ workflowId: Id, rule: v.unknown(), createdBy: Id });
export type CreateRuleRequest = v.InferInput<typeof CreateRuleInput>;

/** Addresses one rule of a workflow. */
export const RuleRef = v.object({ workflowId: Id, ruleId: Id });
export type RuleRefRequest = v.InferInput<typeof RuleRef>;

/** Asks a workflow's Context Optimizer for the view of a version (`AgentsService.context`). */
export const ContextRequest = v.object({
  workflowId: Id,
  /** the version to read (the caller resolves the head, which is part of its own cache key) */
  version: VersionNumber,
  /** the most tokens the view may take (`o200k_base`) */
  budget: ContextBudget,
  /** a JSON Pointer into the state, first in the view */
  focus: v.optional(ContextFocus),
});
export type ContextRequest = v.InferOutput<typeof ContextRequest>;
export type ContextRequestInput = v.InferInput<typeof ContextRequest>;

/** What the directory tells an agent object when it starts a new life (or the same again). */
export const StartInput = v.object({
  workflowId: Id,
  agentId: AgentId,
  type: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  config: JsonRecord,
  createdBy: Id,
});
export type StartInput = v.InferOutput<typeof StartInput>;

/** The change delivery an agent object receives (its workflow's only). */
export { ChangeDelivery };

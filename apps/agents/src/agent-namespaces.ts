import type {
  BuiltinAgentType,
  ChangeAck,
  ChangeDelivery,
  Result,
  SpawnedAgent,
} from "@chorus/core";
import type { StartInput } from "./inputs.ts";

/**
 * The binding of each agent type's Durable Object namespace in wrangler.jsonc. Adding a type:
 * extend `BaseAgent`, add the type to core's `BuiltinAgentType`, map it here, bind it.
 */
export const AGENT_NAMESPACES = {
  "pattern-bridge": "PATTERN_BRIDGE",
  linear: "LINEAR_SYNC",
  "review-manager": "REVIEW_MANAGER",
  "context-optimizer": "CONTEXT_OPTIMIZER",
} as const satisfies Record<BuiltinAgentType, keyof AgentsEnv>;

/** What the directory calls on an agent object: `BaseAgent`'s RPC methods. */
export interface AgentControl {
  start(input: StartInput): Promise<Result<SpawnedAgent>>;
  receive(delivery: ChangeDelivery): Promise<Result<ChangeAck>>;
  stop(): Promise<Result<SpawnedAgent>>;
  info(): Promise<Result<SpawnedAgent | null>>;
}

/**
 * The agent object of a type for a workflow: one per workflow and type, named by the workflow.
 * @param env the worker's bindings
 * @param type the agent type
 * @param workflowId the workflow
 * @returns its stub, typed as the methods `BaseAgent` offers
 */
export function agentObject(
  env: AgentsEnv,
  type: BuiltinAgentType,
  workflowId: string,
): AgentControl {
  const namespace = env[AGENT_NAMESPACES[type]];
  // Every namespace in the map holds a BaseAgent subclass; the stub's methods are those.
  return namespace.get(namespace.idFromName(workflowId)) as unknown as AgentControl;
}

import { WorkerEntrypoint } from "cloudflare:workers";
import {
  attempt,
  type ChangeAck,
  ChangeDelivery,
  type Result,
  type SpawnedAgent,
  validateOrThrow,
} from "@chorus/core";
import { checkAgentConfig } from "./agent-configs.ts";
import type { AgentDirectory, Spawned } from "./agent-directory.ts";
import {
  SpawnedAgentRef,
  type SpawnedAgentRefRequest,
  SpawnInput,
  type SpawnRequest,
  WorkflowRef,
  type WorkflowRefRequest,
} from "./inputs.ts";
import type { LinearWebhookInput } from "./linear-webhook-input.ts";
import { routeLinearWebhook } from "./linear-webhook-route.ts";

type Directory = Pick<AgentDirectory, "spawn" | "list" | "get" | "stop" | "deliver">;

/**
 * The agents worker's RPC surface (bind it with `entrypoint: "AgentsService"`): spawn, list and
 * stop a workflow's built-in agents, and `deliverChanges`, by which the state manager's outbox
 * hands each workflow's committed versions to its agents. Every method but `ping` returns a
 * {@link Result}, never throws.
 */
export class AgentsService extends WorkerEntrypoint<AgentsEnv> {
  /** @returns `{ ok: true }` when the service answers; for health checks */
  ping(): { ok: true; service: "agents" } {
    return { ok: true, service: "agents" };
  }

  /**
   * Spawns a workflow's agent of a type (`created: true`), or answers the live one for the same
   * request again (`created: false`); another config while one runs is `ALREADY_EXISTS`.
   */
  spawnAgent(input: SpawnRequest): Promise<Result<Spawned>> {
    return relay(() => {
      const parsed = validateOrThrow(SpawnInput, input);
      checkAgentConfig(parsed.type, parsed.config);
      return this.#directory(parsed.workflowId).spawn(parsed);
    });
  }

  /** A workflow's live agents, oldest first. */
  listAgents(input: WorkflowRefRequest): Promise<Result<SpawnedAgent[]>> {
    return relay(() => {
      const parsed = validateOrThrow(WorkflowRef, input);
      return this.#directory(parsed.workflowId).list(parsed);
    });
  }

  /** One spawned agent of a workflow; `NOT_FOUND` at `/agentId`. */
  getAgent(input: SpawnedAgentRefRequest): Promise<Result<SpawnedAgent>> {
    return relay(() => {
      const parsed = validateOrThrow(SpawnedAgentRef, input);
      return this.#directory(parsed.workflowId).get(parsed);
    });
  }

  /** Drains and stops a spawned agent; `draining` until its task in hand is done. */
  stopAgent(input: SpawnedAgentRefRequest): Promise<Result<SpawnedAgent>> {
    return relay(() => {
      const parsed = validateOrThrow(SpawnedAgentRef, input);
      return this.#directory(parsed.workflowId).stop(parsed);
    });
  }

  /**
   * The change consumer interface (`CHANGE_CONSUMERS` in the state manager): a workflow's next
   * committed versions, passed on to its live agents. Answers the version all of them hold.
   */
  deliverChanges(input: ChangeDelivery): Promise<Result<ChangeAck>> {
    return relay(() => {
      const delivery = validateOrThrow(ChangeDelivery, input);
      return this.#directory(delivery.workflowId).deliver(delivery);
    });
  }

  /**
   * A Linear webhook the gateway verified: passed to the agent of the workflow whose task the
   * issue mirrors. `NOT_FOUND` at `/data/id` for an issue no agent made.
   */
  linearWebhook(input: LinearWebhookInput): Promise<Result<{ committed: number | null }>> {
    return relay(() => routeLinearWebhook(this.env, input));
  }

  #directory(workflowId: string): Directory {
    const ns = this.env.AGENT_DIRECTORY;
    // The stub's methods are typed through Rpc.Result wrappers; the values are plain Results.
    return ns.get(ns.idFromName(workflowId)) as unknown as Directory;
  }
}

/** Runs a call to an object and passes its result on; a throw before or in it becomes a result. */
async function relay<T>(call: () => Promise<Result<T>>): Promise<Result<T>> {
  const outcome = await attempt(call);
  return outcome.ok ? outcome.value : outcome;
}

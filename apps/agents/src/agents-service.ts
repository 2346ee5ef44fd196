import { WorkerEntrypoint } from "cloudflare:workers";
import {
  attempt,
  type ChangeAck,
  ChangeDelivery,
  type Result,
  type Rule,
  type RuleFiring,
  type SpawnedAgent,
  validateOrThrow,
  type WebhookDelivery,
} from "@chorus/core";
import { checkAgentConfig } from "./agent-configs.ts";
import type { AgentDirectory, Spawned } from "./agent-directory.ts";
import type { ContextAnswer, ContextOptimizer } from "./context-optimizer.ts";
import {
  type ContextRequestInput,
  CreateRuleInput,
  type CreateRuleRequest,
  RuleRef,
  type RuleRefRequest,
  SpawnedAgentRef,
  type SpawnedAgentRefRequest,
  SpawnInput,
  type SpawnRequest,
  WorkflowRef,
  type WorkflowRefRequest,
} from "./inputs.ts";
import type { LinearWebhookInput } from "./linear-webhook-input.ts";
import { routeLinearWebhook } from "./linear-webhook-route.ts";
import type { PatternBridge } from "./pattern-bridge.ts";

type Directory = Pick<AgentDirectory, "spawn" | "ensure" | "list" | "get" | "stop" | "deliver">;
type Optimizer = Pick<ContextOptimizer, "context">;
type Bridge = Pick<
  PatternBridge,
  "addRule" | "listRules" | "getRule" | "deleteRule" | "ruleDeliveries"
>;

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

  /**
   * Adds a rule to the workflow's Pattern Bridge, spawning the bridge when none runs. A bad rule
   * is `VALIDATION_FAILED` at `/rule/…` naming the field, and adds nothing.
   */
  createRule(input: CreateRuleRequest): Promise<Result<Rule>> {
    return relay(async () => {
      const parsed = validateOrThrow(CreateRuleInput, input);
      const bridge = this.#bridge(parsed.workflowId);
      const added = await bridge.addRule({ rule: parsed.rule, createdBy: parsed.createdBy });
      if (!added.ok) return prefixed(added, "/rule");
      const ensured = await this.#directory(parsed.workflowId).ensure({
        workflowId: parsed.workflowId,
        type: "pattern-bridge",
        createdBy: parsed.createdBy,
      });
      return ensured.ok ? added : ensured;
    });
  }

  /** The rules of a workflow, oldest first. */
  listRules(input: WorkflowRefRequest): Promise<Result<Rule[]>> {
    return relay(() => this.#bridge(validateOrThrow(WorkflowRef, input).workflowId).listRules());
  }

  /** One rule and its latest firings; `NOT_FOUND` at `/ruleId`. */
  getRule(input: RuleRefRequest): Promise<Result<{ rule: Rule; firings: RuleFiring[] }>> {
    return relay(() => {
      const parsed = validateOrThrow(RuleRef, input);
      return this.#bridge(parsed.workflowId).getRule(parsed);
    });
  }

  /** Deletes a rule; `NOT_FOUND` at `/ruleId`. */
  deleteRule(input: RuleRefRequest): Promise<Result<{ deleted: true }>> {
    return relay(() => {
      const parsed = validateOrThrow(RuleRef, input);
      return this.#bridge(parsed.workflowId).deleteRule(parsed);
    });
  }

  /** A rule's webhook deliveries, newest first; `NOT_FOUND` at `/ruleId`. */
  ruleDeliveries(input: RuleRefRequest): Promise<Result<WebhookDelivery[]>> {
    return relay(() => {
      const parsed = validateOrThrow(RuleRef, input);
      return this.#bridge(parsed.workflowId).ruleDeliveries(parsed);
    });
  }

  /**
   * The token-budgeted view of a workflow's version from its Context Optimizer, which keeps
   * every view it builds (`stored: true` the next time). Works without a spawn. Errors name the
   * input's field: `/workflowId`, `/version`, `/budget`, `/focus`.
   */
  context(input: ContextRequestInput): Promise<Result<ContextAnswer>> {
    return relay(() => {
      // The optimizer validates the rest; the workflow id names the object, so it is checked here.
      const { workflowId } = validateOrThrow(WorkflowRef, { workflowId: input.workflowId });
      const ns = this.env.CONTEXT_OPTIMIZER;
      return (ns.get(ns.idFromName(workflowId)) as unknown as Optimizer).context(input);
    });
  }

  #bridge(workflowId: string): Bridge {
    const ns = this.env.PATTERN_BRIDGE;
    return ns.get(ns.idFromName(workflowId)) as unknown as Bridge;
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

/** A failed result with its paths moved under `prefix` (the input member they came from). */
function prefixed<T>(result: Result<T>, prefix: string): Result<T> {
  if (result.ok) return result;
  const error = result.error;
  const details = error.details as { issues?: { path?: string }[] } | undefined;
  return {
    ok: false,
    error: {
      ...error,
      ...(error.path === undefined ? {} : { path: `${prefix}${error.path}` }),
      ...(details?.issues === undefined
        ? {}
        : {
            details: {
              ...details,
              issues: details.issues.map((issue) => ({
                ...issue,
                path: `${prefix}${issue.path ?? ""}`,
              })),
            },
          }),
    },
  };
}

import { WorkerEntrypoint } from "cloudflare:workers";
import {
  type AgentLease,
  type AgentRecord,
  attempt,
  type CoordinatorStorage,
  type RegistryStorage,
  type Result,
  unwrap,
  validateOrThrow,
  type WorkflowPage,
  type WorkflowRecord,
} from "@chorus/core";
import {
  AgentRef,
  type AgentRefRequest,
  ListAgentsInput,
  type ListAgentsRequest,
  type RegisterAgentRequest,
} from "./agent-inputs.ts";
import type { AgentRegistry } from "./agent-registry.ts";
import { CountedAgents } from "./counted-agents.ts";
import {
  ListInput,
  type ListRequest,
  RegisterInput,
  type RegisterRequest,
  UpdateInput,
  type UpdateRequest,
  WorkflowRef,
  type WorkflowRefRequest,
} from "./inputs.ts";
import { mergePages } from "./merge-pages.ts";
import type { ShardStorage } from "./shard-storage.ts";
import { agentShardFor, allAgentShards, allShards, shardCount, shardFor } from "./shards.ts";
import { taskBoard } from "./task-board.ts";
import * as front from "./task-front.ts";
import type {
  CancelTaskRequest,
  ClaimRequest,
  CompleteTaskRequest,
  CreateTaskRequest,
  FailTaskRequest,
  HeartbeatTaskRequest,
  LeaseEndedRequest,
} from "./task-inputs.ts";
import type { WorkflowRegistry } from "./workflow-registry.ts";

type AgentShard = Pick<
  AgentRegistry,
  | "registerAgent"
  | "getAgent"
  | "listAgents"
  | "touchAgent"
  | "drainAgent"
  | "agentLeases"
  | "claimTasks"
  | "updateLease"
  | "endLease"
  | "endTaskLease"
  | "pushCandidates"
  | "storage"
>;

/** Held by the isolate, across calls: see {@link CountedAgents}. */
const COUNTED_AGENTS = new CountedAgents();

type Shard = Pick<
  WorkflowRegistry,
  "registerWorkflow" | "getWorkflow" | "updateWorkflow" | "listPage" | "storage"
>;

/**
 * The coordinator's RPC surface for other workers (bind it with
 * `entrypoint: "CoordinatorService"`). A workflow's record lives on the registry shard its id
 * hashes to; a listing asks every shard and merges. Every method but `ping` returns a
 * {@link Result}, never throws.
 */
export class CoordinatorService extends WorkerEntrypoint<CoordinatorEnv> {
  /** @returns `{ ok: true }` when the service answers; for health checks */
  ping(): { ok: true; service: "coordinator" } {
    return { ok: true, service: "coordinator" };
  }

  /**
   * Adds a workflow's record. The same record again is no error: it returns the stored record
   * (as updates since have left it), so a retried create can finish. A different record with a
   * registered id is `ALREADY_EXISTS` at `/record/id`.
   */
  registerWorkflow(input: RegisterRequest): Promise<Result<WorkflowRecord>> {
    return relay(() => {
      const parsed = validateOrThrow(RegisterInput, input);
      return this.#shard(parsed.record.id).registerWorkflow(parsed);
    });
  }

  /** A workflow's record; `NOT_FOUND` at `/workflowId`. */
  getWorkflow(input: WorkflowRefRequest): Promise<Result<WorkflowRecord>> {
    return relay(() => {
      const parsed = validateOrThrow(WorkflowRef, input);
      return this.#shard(parsed.workflowId).getWorkflow(parsed);
    });
  }

  /** Changes a workflow's metadata or status; `updatedAt` moves when something changed. */
  updateWorkflow(input: UpdateRequest): Promise<Result<WorkflowRecord>> {
    return relay(() => {
      const parsed = validateOrThrow(UpdateInput, input);
      return this.#shard(parsed.workflowId).updateWorkflow(parsed);
    });
  }

  /**
   * A page of workflows, newest first (`createdAt`, then `id`, descending), across every shard.
   * `nextCursor` resumes after the page; a cursor stays valid as workflows are added.
   */
  listWorkflows(input: ListRequest): Promise<Result<WorkflowPage>> {
    return attempt(async () => {
      const { status, tag, limit, cursor } = validateOrThrow(ListInput, input);
      const query = { status, tag, limit: limit + 1, after: cursor };
      const shards = allShards(shardCount(this.env.REGISTRY_SHARDS));
      const pages = await Promise.all(shards.map((name) => this.#stub(name).listPage(query)));
      return mergePages(pages.map(unwrap), limit);
    });
  }

  /**
   * What the coordinator keeps: workflows and agents, and the size of their shards' databases,
   * each registry summed over every one of its shards.
   */
  storage(): Promise<Result<CoordinatorStorage>> {
    return attempt(async () => {
      const workflowShards = allShards(shardCount(this.env.REGISTRY_SHARDS));
      const [workflows, agents] = await Promise.all([
        Promise.all(workflowShards.map((name) => this.#stub(name).storage())),
        Promise.all(this.#allAgentShards().map((shard) => shard.storage())),
      ]);
      return { workflows: summed(workflows.map(unwrap)), agents: summed(agents.map(unwrap)) };
    });
  }

  /**
   * Registers an agent, `idle`, on the shard its id hashes to. The gateway makes the id and the
   * agent's token; the same id again is `ALREADY_EXISTS` at `/agentId`.
   */
  registerAgent(input: RegisterAgentRequest): Promise<Result<AgentRecord>> {
    return relay(() => this.#agentShard(agentIdOf(input)).registerAgent(input));
  }

  /** One agent; `NOT_FOUND` at `/agentId`. */
  getAgent(input: AgentRefRequest): Promise<Result<AgentRecord>> {
    return relay(() => this.#agentShard(agentIdOf(input)).getAgent(input));
  }

  /** Agents matching every filter, across every shard, oldest first. */
  listAgents(input: ListAgentsRequest): Promise<Result<AgentRecord[]>> {
    return attempt(async () => {
      const filters = validateOrThrow(ListAgentsInput, input);
      const pages = await Promise.all(this.#allAgentShards().map((s) => s.listAgents(filters)));
      return pages
        .flatMap(unwrap)
        .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    });
  }

  /**
   * Hears from an agent (a heartbeat, or any request made with its token): `lastSeenAt` moves,
   * an `offline` agent is `idle` again without its old leases. `NOT_FOUND` once deregistered.
   */
  touchAgent(input: AgentRefRequest): Promise<Result<AgentRecord>> {
    return relay(() => this.#agentShard(agentIdOf(input)).touchAgent(input));
  }

  /**
   * Drains an agent (no new claims). One holding no lease is deregistered at once
   * (`deregistered: true`); otherwise it stays `draining`, and a later call deregisters it.
   */
  drainAgent(
    input: AgentRefRequest,
  ): Promise<Result<{ agent: AgentRecord; deregistered: boolean }>> {
    return relay(() => this.#agentShard(agentIdOf(input)).drainAgent(input));
  }

  /** The leases an agent holds, soonest to expire first. */
  agentLeases(input: AgentRefRequest): Promise<Result<{ leases: AgentLease[] }>> {
    return attempt(async () => ({
      leases: unwrap(await this.#agentShard(agentIdOf(input)).agentLeases(input)),
    }));
  }

  /** Claims ready tasks for an agent within its free capacity; see {@link front.claimTasks}. */
  claimTasks(input: ClaimRequest) {
    return attempt(() => front.claimTasks(this.#front(), input));
  }

  /** Extends a task lease and the agent's record of it. */
  heartbeatTask(input: HeartbeatTaskRequest) {
    return attempt(() => front.heartbeatTask(this.#front(), input));
  }

  /** Completes a task under its lease and frees the agent's slot. */
  completeTask(input: CompleteTaskRequest) {
    return attempt(() => front.completeTask(this.#front(), input));
  }

  /**
   * Forgets a lease the task board ended for an agent of one workflow, whose completion or
   * failure the gateway took to the board itself (the board counts its capacity): the
   * shard's bookkeeping, done just after this answers.
   */
  leaseEnded(input: LeaseEndedRequest) {
    return attempt(() => front.leaseEnded(this.#front(), input));
  }

  /** Fails a task's attempt under its lease and frees the agent's slot. */
  failTask(input: FailTaskRequest) {
    return attempt(() => front.failTask(this.#front(), input));
  }

  /** Cancels a task and frees the slot of the agent that held it. */
  cancelTask(input: CancelTaskRequest) {
    return attempt(() => front.cancelTask(this.#front(), input));
  }

  /** Creates a task; with `assign: "push"` gives it to the least-loaded able agent. */
  createTask(input: CreateTaskRequest) {
    return attempt(() => front.createTask(this.#front(), input));
  }

  #front(): front.TaskFrontDeps {
    return {
      board: taskBoard(this.env.STATE),
      shardOf: (agentId) => this.#agentShard(agentId),
      allShards: () => this.#allAgentShards(),
      counted: COUNTED_AGENTS,
      defer: (pending) => this.ctx.waitUntil(pending),
    };
  }

  #agentShard(agentId: string): AgentShard {
    const name = agentShardFor(agentId, shardCount(this.env.AGENT_SHARDS));
    return this.env.AGENTS.get(this.env.AGENTS.idFromName(name)) as unknown as AgentShard;
  }

  #allAgentShards(): AgentShard[] {
    return allAgentShards(shardCount(this.env.AGENT_SHARDS)).map(
      (name) => this.env.AGENTS.get(this.env.AGENTS.idFromName(name)) as unknown as AgentShard,
    );
  }

  #shard(workflowId: string): Shard {
    return this.#stub(shardFor(workflowId, shardCount(this.env.REGISTRY_SHARDS)));
  }

  #stub(name: string): Shard {
    // The stub's methods are typed through Rpc.Result wrappers; the values are plain Results.
    return this.env.REGISTRY.get(this.env.REGISTRY.idFromName(name)) as unknown as Shard;
  }
}

/**
 * Runs a call to a shard and passes its result on; a validation error before the call, or the
 * call itself failing (an object reset, an overloaded shard), becomes a failed result too.
 */
async function relay<T>(call: () => Promise<Result<T>>): Promise<Result<T>> {
  const outcome = await attempt(call);
  return outcome.ok ? outcome.value : outcome;
}

function summed(shards: readonly ShardStorage[]): RegistryStorage {
  return {
    shards: shards.length,
    records: shards.reduce((sum, shard) => sum + shard.records, 0),
    bytes: shards.reduce((sum, shard) => sum + shard.bytes, 0),
  };
}

/** The agent id a request routes by, validated so a bad one is refused at `/agentId`. */
function agentIdOf(input: unknown): string {
  return validateOrThrow(AgentRef, input).agentId;
}

import { WorkerEntrypoint } from "cloudflare:workers";
import {
  attempt,
  type Result,
  unwrap,
  validateOrThrow,
  type WorkflowPage,
  type WorkflowRecord,
} from "@chorus/core";
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
import { allShards, shardCount, shardFor } from "./shards.ts";
import type { WorkflowRegistry } from "./workflow-registry.ts";

type Shard = Pick<
  WorkflowRegistry,
  "registerWorkflow" | "getWorkflow" | "updateWorkflow" | "listPage"
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

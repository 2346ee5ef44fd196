import { DurableObject } from "cloudflare:workers";
import {
  attempt,
  ChorusError,
  type Result,
  validateOrThrow,
  type WorkflowRecord,
} from "@chorus/core";
import { applyUpdate, uniqueTags } from "./apply-update.ts";
import {
  RegisterInput,
  type RegisterRequest,
  ShardPageInput,
  type ShardPageRequest,
  UpdateInput,
  type UpdateRequest,
  WorkflowRef,
  type WorkflowRefRequest,
} from "./inputs.ts";
import { RecordTable } from "./record-table.ts";
import { type ShardStorage, shardStorage } from "./shard-storage.ts";
import { migrate } from "./sql/schema.ts";

/**
 * One shard of the workflow registry: the records of the workflows whose ids hash to it, in
 * SQLite. Every method takes one object, validates it, and returns a {@link Result} (Workers RPC
 * would drop a thrown error's code and path). Each method reads and writes without awaiting in
 * between, so the object's input gate makes it atomic with no queue of its own.
 */
export class WorkflowRegistry extends DurableObject<CoordinatorEnv> {
  readonly #storage: DurableObjectStorage;
  readonly #records: RecordTable;

  constructor(ctx: DurableObjectState, env: CoordinatorEnv) {
    super(ctx, env);
    this.#storage = ctx.storage;
    this.#records = new RecordTable(ctx.storage.sql);
    void ctx.blockConcurrencyWhile(async () => migrate(ctx.storage.sql));
  }

  /**
   * Stores a new record. The record it was first registered as, sent again (a retried create),
   * returns the stored record as updates since have left it; any other record with a taken id
   * is `ALREADY_EXISTS` at `/record/id`.
   */
  registerWorkflow(input: RegisterRequest): Promise<Result<WorkflowRecord>> {
    return attempt(() => {
      const { record } = validateOrThrow(RegisterInput, input);
      const stored = { ...record, tags: uniqueTags(record.tags) };
      const existing = this.#records.get(record.id);
      if (existing === undefined) {
        this.#storage.transactionSync(() => this.#records.insert(stored));
        return stored;
      }
      if (this.#records.registeredAs(stored)) return existing;
      throw new ChorusError("ALREADY_EXISTS", `workflow ${record.id} is already registered`, {
        path: "/record/id",
      });
    });
  }

  /** One record; `NOT_FOUND` at `/workflowId`. */
  getWorkflow(input: WorkflowRefRequest): Promise<Result<WorkflowRecord>> {
    return attempt(() => this.#find(validateOrThrow(WorkflowRef, input).workflowId));
  }

  /** Changes metadata or status (checked against the lifecycle) and records who did it. */
  updateWorkflow(input: UpdateRequest): Promise<Result<WorkflowRecord>> {
    return attempt(() => {
      const { workflowId, update, actor } = validateOrThrow(UpdateInput, input);
      const current = this.#find(workflowId);
      const now = Date.now();
      const { record, changes } = applyUpdate(current, update, now);
      if (record === current) return current;
      this.#storage.transactionSync(() => {
        this.#records.replace(current, record);
        this.#storage.sql.exec(
          "INSERT INTO workflow_changes (workflow_id, at, actor, changes) VALUES (?, ?, ?, ?)",
          workflowId,
          now,
          actor,
          JSON.stringify(changes),
        );
      });
      return record;
    });
  }

  /** This shard's part of a listing: up to `limit` records after `after`, newest first. */
  listPage(input: ShardPageRequest): Promise<Result<WorkflowRecord[]>> {
    return attempt(() => this.#records.page(validateOrThrow(ShardPageInput, input)));
  }

  /** How many workflows this shard holds and how large its database is. */
  storage(): Promise<Result<ShardStorage>> {
    return attempt(() => shardStorage(this.#storage.sql, "workflows"));
  }

  #find(workflowId: string): WorkflowRecord {
    const record = this.#records.get(workflowId);
    if (record === undefined) {
      throw new ChorusError("NOT_FOUND", `workflow ${workflowId} is not registered`, {
        path: "/workflowId",
      });
    }
    return record;
  }
}

import { WorkerEntrypoint } from "cloudflare:workers";
import {
  attempt,
  type Result,
  STREAM_SUBSCRIPTION_HEADER,
  unwrap,
  validateOrThrow,
} from "@chorus/core";
import { WorkflowRef } from "./inputs.ts";
import type { StateManager } from "./state-manager.ts";

type Methods = Exclude<
  {
    [K in keyof StateManager]: StateManager[K] extends (input: infer _I) => Promise<Result<unknown>>
      ? K
      : never;
  }[keyof StateManager],
  undefined
>;
type Input<M extends Methods> = Parameters<StateManager[M]>[0];
type Output<M extends Methods> = Awaited<ReturnType<StateManager[M]>>;

/**
 * The state manager's RPC surface for other workers (bind it with `entrypoint: "StateService"`).
 * Each method routes to the workflow's StateManager by `idFromName(workflowId)` and returns
 * its {@link Result} unchanged.
 */
export class StateService extends WorkerEntrypoint<StateManagerEnv> {
  /** @returns `{ ok: true }` when the service answers; for health checks */
  ping(): { ok: true; service: "state-manager" } {
    return { ok: true, service: "state-manager" };
  }

  /**
   * A round trip to the workflow's Durable Object that does no work: the benchmark floor.
   * Like {@link noopWrite}, a benchmark instrument: the object answers `NOT_FOUND` unless the
   * worker's `BENCH_FLOORS` is `"1"`.
   */
  noop(input: Input<"noop">) {
    return this.#call("noop", input);
  }
  /** {@link noop} plus one durable one-row write: the floor a commit is compared with. */
  noopWrite(input: Input<"noopWrite">) {
    return this.#call("noopWrite", input);
  }
  create(input: Input<"create">) {
    return this.#call("create", input);
  }
  commit(input: Input<"commit">) {
    return this.#call("commit", input);
  }
  getState(input: Input<"getState">) {
    return this.#call("getState", input);
  }
  getStateText(input: Input<"getStateText">) {
    return this.#call("getStateText", input);
  }
  history(input: Input<"history">) {
    return this.#call("history", input);
  }
  diff(input: Input<"diff">) {
    return this.#call("diff", input);
  }
  changesSince(input: Input<"changesSince">) {
    return this.#call("changesSince", input);
  }
  createSnapshot(input: Input<"createSnapshot">) {
    return this.#call("createSnapshot", input);
  }
  listSnapshots(input: Input<"listSnapshots">) {
    return this.#call("listSnapshots", input);
  }
  restore(input: Input<"restore">) {
    return this.#call("restore", input);
  }
  createBranch(input: Input<"createBranch">) {
    return this.#call("createBranch", input);
  }
  listBranches(input: Input<"listBranches">) {
    return this.#call("listBranches", input);
  }
  mergeBranch(input: Input<"mergeBranch">) {
    return this.#call("mergeBranch", input);
  }
  listConflicts(input: Input<"listConflicts">) {
    return this.#call("listConflicts", input);
  }
  resolveConflict(input: Input<"resolveConflict">) {
    return this.#call("resolveConflict", input);
  }
  verifyIntegrity(input: Input<"verifyIntegrity">) {
    return this.#call("verifyIntegrity", input);
  }
  auditLog(input: Input<"auditLog">) {
    return this.#call("auditLog", input);
  }
  configure(input: Input<"configure">) {
    return this.#call("configure", input);
  }
  getSettings(input: Input<"getSettings">) {
    return this.#call("getSettings", input);
  }
  metrics(input: Input<"metrics">) {
    return this.#call("metrics", input);
  }

  openReview(input: Input<"openReview">) {
    return this.#call("openReview", input);
  }
  listReviews(input: Input<"listReviews">) {
    return this.#call("listReviews", input);
  }
  getReview(input: Input<"getReview">) {
    return this.#call("getReview", input);
  }
  approveReview(input: Input<"approveReview">) {
    return this.#call("approveReview", input);
  }
  rejectReview(input: Input<"rejectReview">) {
    return this.#call("rejectReview", input);
  }
  commentReview(input: Input<"commentReview">) {
    return this.#call("commentReview", input);
  }

  createTask(input: Input<"createTask">) {
    return this.#call("createTask", input);
  }
  listTasks(input: Input<"listTasks">) {
    return this.#call("listTasks", input);
  }
  getTask(input: Input<"getTask">) {
    return this.#call("getTask", input);
  }
  claimTasks(input: Input<"claimTasks">) {
    return this.#call("claimTasks", input);
  }
  heartbeatLease(input: Input<"heartbeatLease">) {
    return this.#call("heartbeatLease", input);
  }
  completeTask(input: Input<"completeTask">) {
    return this.#call("completeTask", input);
  }
  failTask(input: Input<"failTask">) {
    return this.#call("failTask", input);
  }
  retryTask(input: Input<"retryTask">) {
    return this.#call("retryTask", input);
  }
  cancelTask(input: Input<"cancelTask">) {
    return this.#call("cancelTask", input);
  }
  releaseAgentLeases(input: Input<"releaseAgentLeases">) {
    return this.#call("releaseAgentLeases", input);
  }
  /** Resumes change delivery to the consumers that paused for the workflow (core's `ChangeAck`). */
  resumeChanges(input: Input<"resumeChanges">) {
    return this.#call("resumeChanges", input);
  }

  /**
   * Opens a change stream: a WebSocket upgrade whose `x-chorus-subscription` header holds the
   * subscription as JSON (`{ workflowId, since?, branch?, paths?, types? }`), passed to the
   * workflow's object (`StateManager.fetch`). Service bindings carry the upgrade, so the relay
   * (the gateway) holds a socket to the object itself.
   * @returns `101` with the socket, or a failed `Result` as JSON with status 400
   */
  override async fetch(request: Request): Promise<Response> {
    const routed = await attempt(() => {
      const header = request.headers.get(STREAM_SUBSCRIPTION_HEADER);
      const value: unknown = header === null ? null : JSON.parse(header);
      return validateOrThrow(WorkflowRef, value).workflowId;
    });
    if (!routed.ok) return Response.json(routed, { status: 400 });
    return this.env.STATE_MANAGER.get(this.env.STATE_MANAGER.idFromName(routed.value)).fetch(
      request,
    );
  }

  async #call<M extends Methods>(method: M, input: Input<M>): Promise<Output<M>> {
    const routed = await attempt(() => validateOrThrow(WorkflowRef, input).workflowId);
    if (!routed.ok) return routed as Output<M>;
    const stub = this.env.STATE_MANAGER.get(this.env.STATE_MANAGER.idFromName(unwrap(routed)));
    // Invoke the stub's method directly: `.call`/`.apply` on an RPC stub are remote names too.
    const call = stub[method] as unknown as (input: Input<M>) => Promise<Output<M>>;
    return call(input);
  }
}

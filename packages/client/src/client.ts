import type {
  AuditPage,
  Branch,
  BranchList,
  CommitResult,
  ConflictList,
  ContextView,
  DiffResult,
  Health,
  HistoryPage,
  IntegrityReport,
  IssuedToken,
  JsonPatch,
  JsonValue,
  QueuedConflict,
  QueuedConflictStatus,
  Role,
  Snapshot,
  SnapshotList,
  StateEvent,
  TokenInfo,
  TokenList,
  WorkflowDetail,
  WorkflowPage,
  WorkflowRecord,
  WorkflowUpdate,
} from "@chorus/core";
import { type FetchLike, Http, type Query, seg } from "./http.ts";
import { type LiveOptions, LiveState } from "./live-state.ts";
import { newIdempotencyKey } from "./retry.ts";
import { ReviewMethods } from "./review-methods.ts";
import { type SubscribeOptions, subscribe } from "./subscribe.ts";
import type {
  CommitInput,
  CreatedWorkflow,
  CreateWorkflowInput,
  GetStateOptions,
  ListWorkflowsOptions,
  PatchOptions,
  Resolution,
  Settings,
  SettingsUpdate,
  StateRead,
} from "./types.ts";
import { readModifyWrite, type UpdateOptions, type Updater } from "./update.ts";

/** Where the API is and who is calling. */
export interface ChorusClientOptions {
  /** e.g. `http://127.0.0.1:8787` */
  baseUrl: string;
  /** a bearer token: the admin token or one issued by `createToken` */
  token?: string;
  /** defaults to the global `fetch`; pass a service binding's or a test's */
  fetch?: FetchLike;
}

const wf = (id: string, rest = "") => `/api/workflows/${seg(id)}${rest}`;
// RFC 9110 §8.8.3: an entity tag is quoted; accept a bare checksum too.
const quote = (tag: string) => (tag.startsWith('"') || tag.startsWith("W/") ? tag : `"${tag}"`);

/**
 * A typed client for every endpoint of the Chorus REST API. Error answers throw a
 * {@link ChorusApiError} subclass (`ConflictError`, `NotFoundError`, …). The review methods
 * (`listReviews`, `approveReview`, …) come from {@link ReviewMethods}, in a file of their own.
 * @example
 * const chorus = new ChorusClient({ baseUrl: "http://127.0.0.1:8787", token });
 * const wf = await chorus.createWorkflow({ name: "Release 1.4" });
 * await chorus.update(wf.id, (state) => ({ ...state, status: "running" }));
 */
export class ChorusClient extends ReviewMethods {
  readonly #http: Http;

  /** @param options base URL, token and an optional `fetch` */
  constructor(options: ChorusClientOptions) {
    const http = new Http(options.baseUrl, options.token, options.fetch);
    super(http);
    this.#http = http;
  }

  /**
   * Creates a workflow (status `pending`); its `initialState` (or `{}`) is version 1 on `main`.
   * With `idempotencyKey`, sending it again after a failure is safe: it answers the same workflow.
   */
  async createWorkflow(input: CreateWorkflowInput): Promise<CreatedWorkflow> {
    const { idempotencyKey, ...body } = input;
    const res = await this.#http.send<Omit<CreatedWorkflow, "location">>({
      method: "POST",
      path: "/api/workflows",
      body,
      headers: { "idempotency-key": idempotencyKey ?? newIdempotencyKey() },
    });
    const location = res.headers.get("location") ?? wf(res.body.workflow.id);
    return { ...res.body, location };
  }

  /** A page of workflows, newest first, optionally one status or tag. */
  async listWorkflows(options: ListWorkflowsOptions = {}): Promise<WorkflowPage> {
    return this.#get("/api/workflows", { ...options });
  }

  /** One workflow's record, with how many agents work on it and its tasks counted by status. */
  async getWorkflow(workflowId: string): Promise<WorkflowDetail> {
    return this.#get(wf(workflowId));
  }

  /** Changes a workflow's status (allowed transitions only), name, description, priority or tags. */
  async updateWorkflow(workflowId: string, update: WorkflowUpdate): Promise<WorkflowRecord> {
    return this.#body("PATCH", wf(workflowId), update);
  }

  /**
   * Reads the head of `main` (or a branch, or any version), whole or at a JSON Pointer.
   * @returns the state with its version metadata and `etag`; `null` when `ifNoneMatch` still holds
   */
  getState<S = JsonValue>(
    workflowId: string,
    options: GetStateOptions & { ifNoneMatch: string },
  ): Promise<StateRead<S> | null>;
  getState<S = JsonValue>(
    workflowId: string,
    options?: Omit<GetStateOptions, "ifNoneMatch">,
  ): Promise<StateRead<S>>;
  async getState<S = JsonValue>(
    workflowId: string,
    options: GetStateOptions = {},
  ): Promise<StateRead<S> | null> {
    const { ifNoneMatch, ...query } = options;
    const res = await this.#http.send<Omit<StateRead<S>, "etag">>({
      method: "GET",
      path: wf(workflowId, "/state"),
      query,
      headers: { "if-none-match": ifNoneMatch === undefined ? undefined : quote(ifNoneMatch) },
    });
    if (res.status === 304) return null;
    return { ...res.body, etag: res.headers.get("etag") ?? quote(res.body.checksum) };
  }

  /** Commits a whole state; from a stale `baseVersion` it merges, with a stale `ifMatch` it is a 412. */
  async commit<S = JsonValue>(workflowId: string, input: CommitInput<S>): Promise<CommitResult> {
    const { ifMatch, idempotencyKey, ...body } = input;
    const res = await this.#http.send<CommitResult>({
      method: "POST",
      path: wf(workflowId, "/state"),
      body,
      headers: {
        "if-match": ifMatch === undefined ? undefined : quote(ifMatch),
        "idempotency-key": idempotencyKey ?? newIdempotencyKey(),
      },
    });
    return res.body;
  }

  /**
   * Applies a JSON Patch (RFC 6902) to `baseVersion` (or the head that has `ifMatch`). A `test`
   * operation that fails is a `ConflictError` with `code` `PATCH_TEST_FAILED` and no
   * `conflictId`; a stale `ifMatch` is a `PreconditionFailedError`.
   */
  async patch(
    workflowId: string,
    patch: JsonPatch,
    options: PatchOptions = {},
  ): Promise<CommitResult> {
    const { ifMatch, idempotencyKey, ...query } = options;
    const res = await this.#http.send<CommitResult>({
      method: "PATCH",
      path: wf(workflowId, "/state"),
      query,
      body: patch,
      contentType: "application/json-patch+json",
      headers: {
        "if-match": ifMatch === undefined ? undefined : quote(ifMatch),
        "idempotency-key": idempotencyKey ?? newIdempotencyKey(),
      },
    });
    return res.body;
  }

  /**
   * Read-modify-write: reads the head, applies `fn`, commits with `baseVersion`, and on a 409 or
   * 412 reads and tries again (`retries`, default 5).
   * @example
   * await chorus.update(id, (state) => { state.metadata.step = 2; });
   */
  update<S = JsonValue>(
    workflowId: string,
    fn: Updater<S>,
    options?: UpdateOptions,
  ): Promise<CommitResult> {
    return readModifyWrite(this, workflowId, fn, options);
  }

  /**
   * Follows a workflow's changes as they are committed (Server-Sent Events over `fetch`, the
   * token in a header), reconnecting with backoff and resuming after the last version received,
   * so every version arrives once, in order per branch. Ends when `signal` aborts or the loop
   * stops; a refusal (401, 403, 404, 422) is thrown.
   * @example
   * for await (const event of chorus.subscribe(id, { since: 0, paths: ["/status"] })) {
   *   console.log(event.version, event.patch);
   * }
   */
  subscribe(
    workflowId: string,
    options: SubscribeOptions = {},
  ): AsyncGenerator<StateEvent, void, undefined> {
    return subscribe(this.#http, workflowId, options);
  }

  /**
   * A live replica of a branch: reads its head, then follows its changes, verifying each
   * version's checksum and reading the head again on a gap or a mismatch. `close()` it when done.
   * @example
   * const live = await chorus.live<Doc>(id);
   * live.onChange(() => render(live.state));
   * await live.commit({ ...live.state, step: 2 }); // baseVersion: live.version
   */
  async live<S = JsonValue>(workflowId: string, options: LiveOptions = {}): Promise<LiveState<S>> {
    const branch = options.branch ?? "main";
    const head = await this.getState<S>(workflowId, { branch });
    return new LiveState<S>(this, workflowId, branch, head);
  }

  /** Version metadata, newest first; pass `nextCursor` back as `cursor` for the next page. */
  async history(
    workflowId: string,
    options: { limit?: number; cursor?: number; branch?: string } = {},
  ): Promise<HistoryPage> {
    return this.#get(wf(workflowId, "/history"), options);
  }

  /**
   * The Context Optimizer's view: the most relevant part of a version (the head of `main` by
   * default) within `budget` `o200k_base` tokens, `focus` first, every cut named in `omitted`.
   */
  async context(
    workflowId: string,
    options: { budget: number; focus?: string; version?: number },
  ): Promise<ContextView> {
    return this.#get(wf(workflowId, "/context"), options);
  }

  /** The JSON Patch that turns version `from` into version `to`. */
  async diff(workflowId: string, from: number, to: number): Promise<DiffResult> {
    return this.#get(wf(workflowId, "/diff"), { from, to });
  }

  /** Marks a version (the head of `main` by default) as a named snapshot. */
  async createSnapshot(
    workflowId: string,
    input: { description?: string; version?: number; branch?: string } = {},
  ): Promise<Snapshot> {
    return this.#body("POST", wf(workflowId, "/snapshots"), input);
  }

  /** Every snapshot of a workflow, newest first. */
  async listSnapshots(workflowId: string): Promise<Snapshot[]> {
    return (await this.#get<SnapshotList>(wf(workflowId, "/snapshots"))).snapshots;
  }

  /** Commits a snapshot's state as a new version on `branch` (default `main`). */
  async restore(
    workflowId: string,
    snapshotId: string,
    options: { branch?: string } = {},
  ): Promise<CommitResult> {
    return this.#body("POST", wf(workflowId, "/restore"), { snapshotId, ...options });
  }

  /** Starts a branch at `fromVersion` (default: the head of `main`). */
  async createBranch(
    workflowId: string,
    input: { name: string; fromVersion?: number },
  ): Promise<Branch> {
    return this.#body("POST", wf(workflowId, "/branches"), input);
  }

  /** Every branch with its head, `main` first. */
  async listBranches(workflowId: string): Promise<Branch[]> {
    return (await this.#get<BranchList>(wf(workflowId, "/branches"))).branches;
  }

  /** Merges branch `name` into `into` (default `main`); overlaps are a {@link ConflictError}. */
  async mergeBranch(
    workflowId: string,
    name: string,
    options: { into?: string; strategy?: string; changeDescription?: string } = {},
  ): Promise<CommitResult> {
    return this.#body("POST", wf(workflowId, `/branches/${seg(name)}/merge`), options);
  }

  /** Queued conflicts, oldest first; `status` filters open or resolved ones. */
  async listConflicts(
    workflowId: string,
    options: { status?: QueuedConflictStatus } = {},
  ): Promise<QueuedConflict[]> {
    const path = wf(workflowId, "/conflicts");
    return (await this.#get<ConflictList>(path, options)).conflicts;
  }

  /** Resolves a queued conflict against the current head, committing a merge version. */
  async resolveConflict(
    workflowId: string,
    conflictId: string,
    resolution: Resolution,
  ): Promise<CommitResult> {
    const path = wf(workflowId, `/conflicts/${seg(conflictId)}/resolve`);
    return this.#body("POST", path, { resolution });
  }

  /** Checks every stored version: parents, numbering and checksums. */
  async integrity(workflowId: string): Promise<IntegrityReport> {
    return this.#get(wf(workflowId, "/integrity"));
  }

  /** The audit trail: who changed what, when, newest first. */
  async audit(
    workflowId: string,
    options: { limit?: number; cursor?: number } = {},
  ): Promise<AuditPage> {
    return this.#get(wf(workflowId, "/audit"), options);
  }

  /** Issues a token (admin only); the answer is the only time its secret is shown. */
  async createToken(input: {
    name: string;
    role: Role;
    workflowIds?: string[];
  }): Promise<IssuedToken> {
    return this.#body("POST", "/api/tokens", input);
  }

  /** Every token, oldest first, without secrets (admin only). */
  async listTokens(): Promise<TokenInfo[]> {
    return (await this.#get<TokenList>("/api/tokens")).tokens;
  }

  /** Revokes a token at once (admin only). */
  async revokeToken(tokenId: string): Promise<void> {
    await this.#http.send({ method: "DELETE", path: `/api/tokens/${seg(tokenId)}` });
  }

  /** A workflow's merge strategies, policies and limits in force. */
  async getSettings(workflowId: string): Promise<Settings> {
    return this.#get(wf(workflowId, "/settings"));
  }

  /** Changes some settings (admin only); returns the settings now in force. */
  async updateSettings(workflowId: string, update: SettingsUpdate): Promise<Settings> {
    return this.#body("PATCH", wf(workflowId, "/settings"), update);
  }

  /** Each component's status and latency; `status: "degraded"` (a 503) when one is down. */
  async health(): Promise<Health> {
    return (await this.#http.send<Health>({ method: "GET", path: "/health", accept: [503] })).body;
  }

  /** Metrics in the Prometheus text format, with the counters of up to 20 workflows (admin only). */
  async metrics(options: { workflowIds?: string[] } = {}): Promise<string> {
    return this.#get("/metrics", { workflowId: options.workflowIds });
  }

  /**
   * A round trip gateway → service binding → Durable Object that does no work: the benchmark
   * floor. Only a stack with the floors on serves it (`BENCH_FLOORS=1` in the gateway and the
   * state manager, e.g. the devstack's `startStack({ benchFloors: true })`); elsewhere, as in
   * production, it throws {@link NotFoundError} (404 `ROUTE_NOT_FOUND`).
   */
  async noop(workflowId: string): Promise<{ ok: true }> {
    return this.#get(wf(workflowId, "/noop"));
  }

  /**
   * {@link noop} plus one durable one-row write in the workflow's object: no commit costs less.
   * Like {@link noop}, only on a stack with the benchmark floors on; {@link NotFoundError} elsewhere.
   */
  async noopWrite(workflowId: string): Promise<{ ok: true }> {
    return (await this.#http.send<{ ok: true }>({ method: "POST", path: wf(workflowId, "/noop") }))
      .body;
  }

  async #get<T>(path: string, query?: Query): Promise<T> {
    return (await this.#http.send<T>({ method: "GET", path, ...(query ? { query } : {}) })).body;
  }

  async #body<T>(method: "POST" | "PATCH", path: string, body: unknown): Promise<T> {
    return (await this.#http.send<T>({ method, path, body })).body;
  }
}

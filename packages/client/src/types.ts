import type {
  AuditEntry,
  JsonPatch,
  JsonValue,
  NewWorkflowInput,
  ResolvedConflict,
  SettingsPatch,
  StateVersion,
  WorkflowRecord,
  WorkflowSettings,
  WorkflowStatus,
} from "@chorus/core";

/** One page of `GET /api/workflows`, newest first. */
export interface WorkflowPage {
  workflows: WorkflowRecord[];
  /** pass back as `cursor` for the next page; `null` on the last page */
  nextCursor: string | null;
}

/** What `POST /api/workflows` answers: the registry record, version 1, and the `Location`. */
export interface CreatedWorkflow {
  workflow: WorkflowRecord;
  version: StateVersion;
  /** the workflow's URL path, e.g. `/api/workflows/wf_…` */
  location: string;
}

/** The body of `POST /api/workflows`, and the key that makes sending it again safe. */
export type CreateWorkflowInput = NewWorkflowInput & {
  /**
   * sent as `Idempotency-Key`: the same key (from the same identity, with the same body) gets the
   * same workflow back instead of a second one, and finishes a creation that failed halfway
   */
  idempotencyKey?: string;
};

/** Filters and paging for `listWorkflows`. */
export interface ListWorkflowsOptions {
  status?: WorkflowStatus;
  tag?: string;
  limit?: number;
  cursor?: string;
}

/** A version of a workflow's state as `GET …/state` answers: its metadata, state and `ETag`. */
export type StateRead<S = JsonValue> = StateVersion & {
  /** the JSON Pointer read, `""` for the whole state */
  path: string;
  /** the state, or the subtree at `path` */
  state: S;
  /** the `ETag` header: the quoted checksum, for `If-Match` and `If-None-Match` */
  etag: string;
};

/** Which version `getState` reads. */
export interface GetStateOptions {
  version?: number;
  branch?: string;
  /** a JSON Pointer: read only that subtree */
  path?: string;
  /** an `etag` from an earlier read: answers `null` (304) when it is still current */
  ifNoneMatch?: string;
}

/** A write's outcome: the new version and what a three-way merge did on the way. */
export interface CommitResult {
  version: StateVersion;
  /** paths where a merge took one side's change cleanly */
  merged: string[];
  /** conflicts a strategy settled, with the strategy's name */
  resolved: ResolvedConflict[];
  /** `fast-forward`, `merge`, `last-writer-wins`, `restore`, `resolution`, … */
  origin: string;
  /** true when an `Idempotency-Key` replayed an earlier result */
  replayed: boolean;
}

/** A whole-state write. Send `baseVersion` (a stale base merges) or `ifMatch` (a stale base is 412). */
export interface CommitInput<S = JsonValue> {
  state: S;
  changeDescription?: string;
  baseVersion?: number;
  /** a checksum or an `etag` */
  ifMatch?: string;
  branch?: string;
  /** retrying a POST with the same key returns the first result instead of committing twice */
  idempotencyKey?: string;
}

/** How `patch` sends its base and target: as query parameters and `If-Match`. */
export interface PatchOptions {
  baseVersion?: number;
  ifMatch?: string;
  branch?: string;
  changeDescription?: string;
}

/** One page of history, newest first. */
export interface HistoryPage {
  versions: StateVersion[];
  /** pass back as `cursor`; `null` on the last page */
  nextCursor: number | null;
}

/** The JSON Patch that turns version `from` into version `to`. */
export interface DiffResult {
  from: number;
  to: number;
  patch: JsonPatch;
}

/** `ours` keeps the head, `theirs` takes the incoming side, or explicit values per path. */
export type Resolution = "ours" | "theirs" | { values: Record<string, JsonValue> };

/** The outcome of `GET …/integrity`. */
export interface IntegrityReport {
  ok: boolean;
  checked: number;
  problems: Array<{ version?: number; code: string; problem: string }>;
}

/** One page of the audit trail. */
export interface AuditPage {
  entries: AuditEntry[];
  nextCursor: number | null;
}

/** A token's role on the workflows it covers. */
export type Role = "reader" | "writer" | "admin";

/** An API token as listed: never its secret. */
export interface TokenInfo {
  id: string;
  name: string;
  role: Role;
  /** the workflows it may touch; `null` for every workflow */
  workflowIds: string[] | null;
  createdAt: number;
}

/** A new token: the only time its secret is shown. */
export type CreatedToken = TokenInfo & { token: string };

/** One component as `/health` sees it. */
export interface ComponentHealth {
  status: "up" | "down";
  latencyMs: number;
  service?: string;
  error?: string;
}

/** `GET /health`: the gateway and each callee through its binding. */
export interface Health {
  /** `degraded` (a 503) when a component is down */
  status: "ok" | "degraded";
  version: string;
  components: {
    gateway: ComponentHealth;
    stateManager: ComponentHealth;
    coordinator: ComponentHealth;
  };
}

/** A per-path merge rule: conflicts at paths matching the pointer glob use the strategy. */
export type { MergeRule } from "@chorus/core";

/** A workflow's settings in force. */
export type Settings = WorkflowSettings;

/** A change to some settings; members left out keep their value. */
export type SettingsUpdate = SettingsPatch;

// Request options are the client's own; every answer's type is core's, which the gateway's
// tests check its answers against. Two answers gain a header's value, by intersection.
import type {
  CreatedWorkflow as CreatedWorkflowBody,
  JsonValue,
  NewWorkflowInput,
  SettingsPatchInput,
  StateRead as StateReadBody,
  WorkflowSettings,
  WorkflowStatus,
} from "@chorus/core";

/**
 * What `POST /api/workflows` answers (core's `CreatedWorkflow`: the registry record and version
 * 1), with the `Location` header.
 */
export type CreatedWorkflow = CreatedWorkflowBody & {
  /** the workflow's URL path, e.g. `/api/workflows/wf_…` */
  location: string;
};

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

/**
 * A version of a workflow's state as `GET …/state` answers (core's `StateRead`: its metadata,
 * the pointer read and the state there), with the state typed as the caller expects it and the
 * `ETag` header.
 */
export type StateRead<S = JsonValue> = Omit<StateReadBody, "state"> & {
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

/** A whole-state write. Send `baseVersion` (a stale base merges) or `ifMatch` (a stale base is 412). */
export interface CommitInput<S = JsonValue> {
  state: S;
  changeDescription?: string;
  baseVersion?: number;
  /** a checksum or an `etag` */
  ifMatch?: string;
  branch?: string;
  /**
   * retrying a POST with the same key returns the first result instead of committing twice;
   * a random one is sent when none is given
   */
  idempotencyKey?: string;
}

/** How `patch` sends its base and target: as query parameters and `If-Match`. */
export interface PatchOptions {
  baseVersion?: number;
  ifMatch?: string;
  branch?: string;
  changeDescription?: string;
  /** as a commit's: the same key again answers the first result; a random one by default */
  idempotencyKey?: string;
}

/** `ours` keeps the head, `theirs` takes the incoming side, or explicit values per path. */
export type Resolution = "ours" | "theirs" | { values: Record<string, JsonValue> };

/** A workflow's settings in force. */
export type Settings = WorkflowSettings;

/** A change to some settings; members left out keep their value (and a gate's, its default). */
export type SettingsUpdate = SettingsPatchInput;

/**
 * Stable error codes. Each is a user error (the caller sent something wrong and can fix it)
 * or a system error (Chorus itself failed). The gateway maps codes to HTTP statuses.
 */
export const ErrorCodes = {
  /** user: input does not match a schema; `details.issues` lists every issue with its path */
  VALIDATION_FAILED: "user",
  /** user: concurrent edits overlap and no strategy resolved them */
  CONFLICT: "user",
  /** user: a workflow, version, snapshot, branch or path does not exist */
  NOT_FOUND: "user",
  /** user: the thing to create exists already (a workflow, branch or snapshot id) */
  ALREADY_EXISTS: "user",
  /** user: a JSON Patch is malformed or an operation cannot apply */
  INVALID_PATCH: "user",
  /** user: a JSON Pointer is malformed */
  INVALID_POINTER: "user",
  /** user: a value is not JSON (undefined, function, NaN, cycle, …) */
  INVALID_JSON: "user",
  /** user: a document nests deeper than the configured limit */
  TOO_DEEP: "user",
  /** user: a value exceeds a configured size or count limit */
  TOO_LARGE: "user",
  /** user: a precondition the caller set (`If-Match`, `expectedChecksum`) did not hold */
  PRECONDITION_FAILED: "user",
  /**
   * user: a JSON Patch `test` operation did not hold: the state is not what the patch expects
   * (a conflict with the current state, RFC 5789 §2.2, not a failed precondition)
   */
  PATCH_TEST_FAILED: "user",
  /**
   * user: a task lease is not (or no longer) the task's current one: another lease, one that ran
   * out, or a task no longer claimed; `details.attempt` names the task's current attempt
   */
  LEASE_EXPIRED: "user",
  /**
   * user: the write changes a protected path of a protected branch (a review gate), which only
   * an approved review's merge may do; `details` names the gated paths
   */
  REVIEW_REQUIRED: "user",
  /**
   * user: the caller may not do this, e.g. an agent using another agent's current task lease,
   * or the author of a change approving it (the gateway's own role checks answer 403 without
   * a code from a callee)
   */
  FORBIDDEN: "user",
  /** user: the review is merged, rejected or waiting on its merge's conflict */
  REVIEW_CLOSED: "user",
  /** user: a merge strategy name is not registered */
  UNKNOWN_STRATEGY: "user",
  /** system: stored history fails its integrity check */
  INTEGRITY_FAILED: "system",
  /** system: anything unexpected */
  INTERNAL: "system",
} as const;

/** One of the stable error codes in {@link ErrorCodes}. */
export type ErrorCode = keyof typeof ErrorCodes;

/** The plain-data form of a {@link ChorusError}, safe to send across Workers RPC or JSON. */
export interface ErrorData {
  code: ErrorCode;
  message: string;
  path?: string;
  details?: unknown;
}

/**
 * The one error type of Chorus: a stable `code`, a message, and the JSON Pointer `path` of the
 * offending value when there is one.
 *
 * @example
 * throw new ChorusError("NOT_FOUND", "no such task", { path: "/tasks/t9" });
 */
export class ChorusError extends Error {
  override readonly name = "ChorusError";
  readonly code: ErrorCode;
  readonly path: string | undefined;
  readonly details: unknown;

  /**
   * @param code a stable code from {@link ErrorCodes}
   * @param message what went wrong, for people
   * @param options the offending `path`, structured `details` and the `cause`
   */
  constructor(
    code: ErrorCode,
    message: string,
    options: { path?: string; details?: unknown; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = options.path;
    this.details = options.details;
  }

  /** @returns whether the caller (not Chorus) is at fault */
  isUserError(): boolean {
    return ErrorCodes[this.code] === "user";
  }

  /**
   * For an error raised inside a part of a larger value: the same error, its path read from
   * the whole value's root.
   * @param prefix the JSON Pointer where the part sits, e.g. `/state`
   * @returns a copy whose path is `prefix` followed by this one's
   */
  under(prefix: string): ChorusError {
    return new ChorusError(this.code, this.message, {
      path: `${prefix}${this.path ?? ""}`,
      details: this.details,
    });
  }

  /** @returns the plain-data form, for RPC results and problem+json bodies */
  toData(): ErrorData {
    const data: ErrorData = { code: this.code, message: this.message };
    if (this.path !== undefined) data.path = this.path;
    if (this.details !== undefined) data.details = this.details;
    return data;
  }

  /**
   * Rebuilds an error from its plain-data form (the other side of an RPC result).
   * @param data what {@link ChorusError.toData} produced
   * @returns the error
   */
  static fromData(data: ErrorData): ChorusError {
    const options: { path?: string; details?: unknown } = {};
    if (data.path !== undefined) options.path = data.path;
    if (data.details !== undefined) options.details = data.details;
    return new ChorusError(data.code, data.message, options);
  }
}

/**
 * @param error anything thrown
 * @returns whether it is a {@link ChorusError}
 */
export function isChorusError(error: unknown): error is ChorusError {
  return error instanceof ChorusError;
}

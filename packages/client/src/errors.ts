import type { Conflict, Problem, ValidationIssue } from "@chorus/core";

/**
 * An error answer as the client received it. From the gateway it is core's {@link Problem}; from
 * anything on the way (a proxy's 502 page) only `type`, `title` and `status` are certain, made up
 * from the status when the body has none, so Problem's other members are optional here, and
 * members it does not declare are kept.
 */
export type ReceivedProblem = Pick<Problem, "type" | "title" | "status"> &
  Partial<Omit<Problem, "type" | "title" | "status">> & { [member: string]: unknown };

/**
 * An error answer from the Chorus API: the problem+json fields, plus the whole body in `problem`.
 * Subclasses name the cases callers handle; anything else is a plain `ChorusApiError`.
 * @example
 * try { await client.getWorkflow("w9"); } catch (e) { if (e instanceof NotFoundError) … }
 */
export class ChorusApiError extends Error {
  override name = "ChorusApiError";
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly code: string | undefined;
  readonly errors: ValidationIssue[];
  readonly problem: ReceivedProblem;

  /** @param problem the response body, or one made up from the status when it was not problem+json */
  constructor(problem: ReceivedProblem) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.status = problem.status;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.code = problem.code;
    this.errors = problem.errors ?? [];
    this.problem = problem;
  }
}

/** 400 or 422: the request is malformed or fails validation; `errors` names each field. */
export class ValidationError extends ChorusApiError {
  override name = "ValidationError";
}

/** 401 or 403: no token, a bad token, or a role that may not do this. */
export class AuthError extends ChorusApiError {
  override name = "AuthError";
}

/** 404: no such workflow, version, snapshot, branch, conflict or token. */
export class NotFoundError extends ChorusApiError {
  override name = "NotFoundError";
}

/** 412: the head no longer has the checksum sent in `If-Match`. */
export class PreconditionFailedError extends ChorusApiError {
  override name = "PreconditionFailedError";
}

/**
 * 409: the write conflicts with the state, and nothing was committed. Either edits overlapped
 * and no strategy settled them: the state manager queued them as conflict `conflictId`
 * (resolve it with `client.resolveConflict`). Or a JSON Patch `test` operation did not hold
 * (`code` `PATCH_TEST_FAILED`): nothing was queued, and `conflictId` is absent.
 */
export class ConflictError extends ChorusApiError {
  override name = "ConflictError";
  /** the queued conflict's id; absent for a 409 that queued nothing (a failed `test`, a name taken) */
  readonly conflictId: string | undefined;
  /** each conflicting path with its base, ours and theirs values */
  readonly conflicts: Conflict[];

  /** @param problem the 409 body */
  constructor(problem: ReceivedProblem) {
    super(problem);
    this.conflictId = typeof problem.conflictId === "string" ? problem.conflictId : undefined;
    this.conflicts = Array.isArray(problem.conflicts) ? (problem.conflicts as Conflict[]) : [];
  }
}

const BY_STATUS: Record<number, new (problem: ReceivedProblem) => ChorusApiError> = {
  400: ValidationError,
  401: AuthError,
  403: AuthError,
  404: NotFoundError,
  409: ConflictError,
  412: PreconditionFailedError,
  422: ValidationError,
};

/**
 * Turns an error answer into the matching error class.
 * @param status the HTTP status
 * @param body the parsed body: problem+json, other JSON, or text
 * @returns the error to throw
 */
export function toApiError(status: number, body: unknown): ChorusApiError {
  const problem = asProblem(status, body);
  const ErrorClass = BY_STATUS[status] ?? ChorusApiError;
  return new ErrorClass(problem);
}

function asProblem(status: number, body: unknown): ReceivedProblem {
  const fields = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const text = typeof body === "string" && body !== "" ? body.slice(0, 500) : undefined;
  const detail = typeof fields.detail === "string" ? fields.detail : text;
  return {
    ...fields,
    type: typeof fields.type === "string" ? fields.type : "about:blank",
    title: typeof fields.title === "string" ? fields.title : `HTTP ${status}`,
    status,
    ...(detail === undefined ? {} : { detail }),
    errors: Array.isArray(fields.errors) ? (fields.errors as ValidationIssue[]) : [],
  };
}

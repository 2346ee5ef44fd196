import type { Conflict } from "@chorus/core";

/** One problem with a request, at the JSON Pointer `path` of the offending value. */
export interface ProblemIssue {
  path: string;
  message: string;
}

/** An `application/problem+json` body (RFC 9457) as the gateway sends it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  /** the stable Chorus code, e.g. `VALIDATION_FAILED`, `CONFLICT`, `UNAUTHENTICATED` */
  code?: string;
  errors?: ProblemIssue[];
  /** extension members, e.g. `conflictId` and `conflicts` on a 409 */
  [member: string]: unknown;
}

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
  readonly errors: ProblemIssue[];
  readonly problem: Problem;

  /** @param problem the response body, or one made up from the status when it was not problem+json */
  constructor(problem: Problem) {
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
  constructor(problem: Problem) {
    super(problem);
    this.conflictId = typeof problem.conflictId === "string" ? problem.conflictId : undefined;
    this.conflicts = Array.isArray(problem.conflicts) ? (problem.conflicts as Conflict[]) : [];
  }
}

const BY_STATUS: Record<number, new (problem: Problem) => ChorusApiError> = {
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

function asProblem(status: number, body: unknown): Problem {
  const fields = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const text = typeof body === "string" && body !== "" ? body.slice(0, 500) : undefined;
  const detail = typeof fields.detail === "string" ? fields.detail : text;
  return {
    ...fields,
    type: typeof fields.type === "string" ? fields.type : "about:blank",
    title: typeof fields.title === "string" ? fields.title : `HTTP ${status}`,
    status,
    ...(detail === undefined ? {} : { detail }),
    errors: Array.isArray(fields.errors) ? (fields.errors as ProblemIssue[]) : [],
  };
}

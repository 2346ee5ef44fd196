import {
  type ChorusError,
  type ErrorCode,
  isChorusError,
  Problem,
  type ValidationIssue,
} from "@chorus/core";
import { isOverload, OVERLOAD_RETRY_AFTER_S } from "./overload.ts";
import type { ResponseSpec } from "./route.ts";

/**
 * An error the gateway raises itself, about HTTP rather than Chorus data: authentication,
 * routing, media types, body limits. Carries its status, a stable code and extra headers.
 *
 * @example
 * throw new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", "send Content-Type: application/json");
 */
export class HttpError extends Error {
  override readonly name = "HttpError";
  readonly status: number;
  readonly code: string;
  readonly errors: ValidationIssue[];
  readonly headers: Record<string, string>;

  /**
   * @param status the HTTP status
   * @param code a stable code, in the style of {@link ErrorCode}
   * @param message the problem's `detail`
   * @param options issues with their paths, and headers to send (`Allow`, `WWW-Authenticate`)
   */
  constructor(
    status: number,
    code: string,
    message: string,
    options: { errors?: ValidationIssue[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.errors = options.errors ?? [];
    this.headers = options.headers ?? {};
  }
}

/** The one table from a Chorus error code to an HTTP status. */
export const STATUS_OF: Readonly<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 422,
  INVALID_PATCH: 422,
  INVALID_POINTER: 422,
  // A value that is not JSON inside parsed JSON (too deep, a bad number); an unparsable body is 400.
  INVALID_JSON: 422,
  TOO_DEEP: 422,
  UNKNOWN_STRATEGY: 422,
  NOT_FOUND: 404,
  CONFLICT: 409,
  ALREADY_EXISTS: 409,
  // RFC 5789 §2.2: a patch that cannot apply to the current state conflicts with it; 412 is
  // only for a precondition the client set in If-Match.
  PATCH_TEST_FAILED: 409,
  // The lease is not the task's current one: the caller's view of the task is stale.
  LEASE_EXPIRED: 409,
  // A review gate protects what the write changes: the state of the workflow, not the caller's
  // rights, stands in the way, and no token goes around it.
  REVIEW_REQUIRED: 409,
  // The review is merged, rejected or waiting on its merge's conflict.
  REVIEW_CLOSED: 409,
  // The caller is known and allowed the route, but not this act: approving their own change.
  FORBIDDEN: 403,
  PRECONDITION_FAILED: 412,
  TOO_LARGE: 413,
  INTEGRITY_FAILED: 500,
  INTERNAL: 500,
};

const TITLES: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  412: "Precondition Failed",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  426: "Upgrade Required",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** The media type of every error response (RFC 9457). */
export const PROBLEM_JSON = "application/problem+json";

/**
 * Documents an error response a route can give besides the ones every route of its kind can.
 * @param description when it happens
 * @returns the response spec: core's {@link Problem} as `application/problem+json`
 * @example
 * responses: { 201: { description: "The branch", schema: Branch }, 409: problemSpec("It exists") }
 */
export function problemSpec(description: string): ResponseSpec {
  return { description, schema: Problem, mediaType: PROBLEM_JSON };
}

/**
 * Turns anything thrown while serving a request into an `application/problem+json` response
 * (RFC 9457): `type`, `title`, `status`, `detail`, `code` and `errors[]` of `{ path, message }`.
 * A `CONFLICT` adds `conflictId`, `branch`, `base`, `head` and `conflicts`; a
 * `PRECONDITION_FAILED` adds the current `head` and `checksum` when known. Anything that is
 * neither a {@link ChorusError} nor an {@link HttpError} is logged and answered 500 without
 * its message, except a resource limit of the runtime ({@link isOverload}): 503 `OVERLOADED`
 * with `Retry-After`, since nothing was acknowledged and the same request may succeed later.
 * @param error what was thrown
 * @returns the response
 */
export function problemResponse(error: unknown): Response {
  if (error instanceof HttpError) {
    return problem(error.status, error.code, error.message, error.errors, {}, error.headers);
  }
  if (isChorusError(error) && !(error.code === "INTERNAL" && isOverload(error))) {
    return fromChorusError(error);
  }
  if (isOverload(error)) return overloaded(error);
  console.error("unhandled error", error);
  return problem(500, "INTERNAL", "An unexpected error occurred; it has been logged.", []);
}

function overloaded(error: unknown): Response {
  console.error("a callee ran out of a resource", error);
  return problem(
    503,
    "OVERLOADED",
    "The service is out of capacity for the moment and nothing was changed; try again shortly.",
    [],
    {},
    { "retry-after": String(OVERLOAD_RETRY_AFTER_S) },
  );
}

function fromChorusError(error: ChorusError): Response {
  const status = STATUS_OF[error.code] ?? 500;
  if (status >= 500) console.error(`${error.code}: ${error.message}`, error.details);
  const detail =
    error.code === "INTERNAL" ? "An unexpected error occurred; it has been logged." : error.message;
  return problem(status, error.code, detail, issuesOf(error), extensionsOf(error));
}

function issuesOf(error: ChorusError): ValidationIssue[] {
  const details = error.details;
  if (isRecord(details) && Array.isArray(details.issues)) {
    return details.issues.filter(isRecord).map((issue) => ({
      path: String(issue.path ?? ""),
      message: String(issue.message ?? ""),
    }));
  }
  return error.path === undefined ? [] : [{ path: error.path, message: error.message }];
}

function extensionsOf(error: ChorusError): Record<string, unknown> {
  const details = error.details;
  if (!isRecord(details)) return {};
  const keep =
    error.code === "CONFLICT"
      ? ["conflictId", "branch", "base", "head", "conflicts"]
      : error.code === "PRECONDITION_FAILED"
        ? ["head", "checksum"]
        : error.code === "REVIEW_REQUIRED"
          ? ["branch", "gatedPaths"]
          : [];
  return Object.fromEntries(keep.filter((key) => key in details).map((key) => [key, details[key]]));
}

function problem(
  status: number,
  code: string,
  detail: string,
  errors: ValidationIssue[],
  extensions: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  // The extensions are a callee's details passed on unchecked; the tests validate every answer.
  const body: Problem = {
    type: `urn:chorus:problem:${code.toLowerCase().replaceAll("_", "-")}`,
    title: TITLES[status] ?? "Error",
    status,
    detail,
    code,
    errors,
    ...extensions,
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...headers, "content-type": PROBLEM_JSON },
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

import type { ApiRequest } from "./http.ts";

/** How many times a request that lost its connection is sent again. */
export const CONNECTION_RETRIES = 2;

/** How many times a request answered 503 with `Retry-After` is sent again. */
export const UNAVAILABLE_RETRIES = 2;

/** The longest `Retry-After` the client waits out by itself (ms); a longer one is the caller's. */
const MAX_RETRY_AFTER_MS = 10_000;

/**
 * How long to wait before sending a request again that the server answered 503 with
 * `Retry-After` (`OVERLOADED`: a resource of the runtime ran out and nothing changed;
 * `REGISTRATION_FAILED`: a keyed creation that the same key finishes).
 * @param response the answer
 * @returns the wait in ms, or undefined when it is not such an answer or the wait is too long
 */
export function retryAfterMs(response: Response): number | undefined {
  if (response.status !== 503) return undefined;
  const header = response.headers.get("retry-after");
  if (header === null || !/^\d+$/.test(header.trim())) return undefined;
  const ms = Number(header) * 1000;
  return ms <= MAX_RETRY_AFTER_MS ? ms : undefined;
}

// Errors of a connection that ended under the request: Node (`http`, undici's `fetch`, whose
// `TypeError: fetch failed` carries one of these as its `cause`) and browsers' generic one.
const RESET_CODES = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED", "UND_ERR_SOCKET"]);
const RESET_MESSAGES = /socket hang up|other side closed|connection (was )?reset/i;

/**
 * Whether an error from `fetch` means the connection ended under the request, as when a server
 * closes a keep-alive connection the client was about to reuse: the request may or may not have
 * been received. A refused connection, a DNS failure or an abort is not one.
 * @param error what `fetch` threw
 * @returns true for ECONNRESET, EPIPE, "socket hang up", "other side closed" (here or as a cause)
 */
export function isConnectionReset(error: unknown): boolean {
  for (let link = error, depth = 0; link instanceof Error && depth < 4; depth++) {
    const code = (link as Error & { code?: unknown }).code;
    if (typeof code === "string" && RESET_CODES.has(code)) return true;
    if (RESET_MESSAGES.test(link.message)) return true;
    link = link.cause;
  }
  return false;
}

/**
 * Whether a request may be sent again when it is not known whether the server received it: a
 * read, or a write with an `Idempotency-Key` (the server answers a repeated key with the first
 * result instead of writing twice).
 * @param request the request
 * @returns true for `GET`, and for a write that carries an idempotency key
 */
export function isSafeToResend(request: ApiRequest): boolean {
  if (request.method === "GET") return true;
  const key = Object.entries(request.headers ?? {}).find(
    ([name]) => name.toLowerCase() === "idempotency-key",
  );
  return key?.[1] !== undefined;
}

/**
 * A fresh idempotency key for one write, so that resending it (after a lost connection) cannot
 * commit twice.
 * @returns a random UUID
 */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

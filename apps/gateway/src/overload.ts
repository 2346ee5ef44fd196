/**
 * Messages with which the runtime reports that a callee ran out of a shared resource rather
 * than failing on the request: SQLite's heap (workerd caps it per process, so a local stack
 * with more than about 1,000 live workflows meets it), an isolate's memory, an overloaded
 * Durable Object. Nothing was acknowledged, so the caller may try again.
 */
const RESOURCE_LIMITS = [
  /\bSQLITE_NOMEM\b/,
  /exceeded its memory limit/i,
  /Durable Object is overloaded/i,
  /too many requests queued/i,
];

/** How long a client should wait before it tries again (seconds), sent as `Retry-After`. */
export const OVERLOAD_RETRY_AFTER_S = 1;

/**
 * @param error what a callee threw, or the message of an `INTERNAL` result
 * @returns whether it is a resource limit of the runtime, to be answered 503 with Retry-After
 */
export function isOverload(error: unknown): boolean {
  const message =
    error instanceof Error ? error.message : typeof error === "string" ? error : undefined;
  return message !== undefined && RESOURCE_LIMITS.some((pattern) => pattern.test(message));
}

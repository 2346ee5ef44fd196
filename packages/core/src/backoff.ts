/** The wait before the first retry of a failed task. */
export const FIRST_RETRY_DELAY_MS = 1000;

/** The longest wait before a retry. */
export const MAX_RETRY_DELAY_MS = 5 * 60 * 1000;

/**
 * How long a failed task waits before it is ready again: 1 s after the first failed attempt,
 * doubling with each one after, at most 5 min.
 * @param failures how many attempts of the current budget have ended without completion (≥ 1)
 * @returns the delay in milliseconds
 * @example
 * retryDelay(1); // 1000
 * retryDelay(3); // 4000
 * retryDelay(20); // 300000
 */
export function retryDelay(failures: number): number {
  const exponent = Math.max(0, failures - 1);
  // 2^19 s is far past the cap: stop doubling before the number grows absurd.
  if (exponent >= 19) return MAX_RETRY_DELAY_MS;
  return Math.min(FIRST_RETRY_DELAY_MS * 2 ** exponent, MAX_RETRY_DELAY_MS);
}

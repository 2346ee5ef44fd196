import { ChorusError } from "../errors.ts";

/**
 * Runs `fn` and returns the {@link ChorusError} it throws; fails when it throws nothing or
 * something else, so tests can assert on `code` and `path`.
 * @param fn the call expected to throw
 * @returns the error
 */
export function catchError(fn: () => unknown): ChorusError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ChorusError) return error;
    throw new Error(`expected a ChorusError, got ${String(error)}`);
  }
  throw new Error("expected a ChorusError, but nothing was thrown");
}

/**
 * The async twin of {@link catchError}.
 * @param fn the call expected to reject
 * @returns the error
 */
export async function catchErrorAsync(fn: () => Promise<unknown>): Promise<ChorusError> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof ChorusError) return error;
    throw new Error(`expected a ChorusError, got ${String(error)}`);
  }
  throw new Error("expected a ChorusError, but nothing was rejected");
}

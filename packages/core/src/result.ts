import { ChorusError, type ErrorData } from "./errors.ts";

/**
 * The outcome of an operation as plain data. Workers RPC drops custom error fields, so RPC
 * methods return a `Result` instead of throwing, and callers rebuild the error with {@link unwrap}.
 */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorData };

/**
 * @param value the success value
 * @returns a successful result
 */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/**
 * Runs `fn` and captures a thrown {@link ChorusError} as a failed result; anything else is
 * reported as `INTERNAL` with its message only, so no stack or secret leaks across a boundary.
 * @param fn the operation
 * @returns its result
 * @example
 * const result = await attempt(() => store.commit(input));
 */
export async function attempt<T>(fn: () => T | Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    if (error instanceof ChorusError) return { ok: false, error: error.toData() };
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code: "INTERNAL", message } };
  }
}

/**
 * @param result a result from {@link attempt} or an RPC call
 * @returns its value
 * @throws ChorusError rebuilt from a failed result
 */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw ChorusError.fromData(result.error);
}

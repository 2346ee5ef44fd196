/** `Symbol.dispose`, which workerd has and our ES2023 lib does not declare. */
const DISPOSE = (Symbol as unknown as { dispose: symbol }).dispose;

/**
 * Releases an RPC result now rather than whenever GC gets to it (workerd warns otherwise).
 * @param result what an RPC call answered
 * @returns the same result
 */
export function release<T>(result: T): T {
  const dispose = (result as Partial<Record<symbol, () => void>> | null)?.[DISPOSE];
  dispose?.call(result);
  return result;
}

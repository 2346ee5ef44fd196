/**
 * Reads an optional numeric var (wrangler.jsonc), absent from the generated env type when
 * unset: its value when it is a positive number, `fallback` otherwise.
 * @param env the worker's bindings
 * @param name the var
 * @param fallback the default
 * @returns the number
 * @example
 * positiveVar(env, "DASHBOARD_REFRESH_MS", 5000);
 */
export function positiveVar(env: object, name: string, fallback: number): number {
  const raw = (env as Record<string, unknown>)[name];
  const value = Number(raw);
  return raw !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * Whether a worker serves the benchmark floors: the gateway's `GET`/`POST /api/workflows/{id}/noop`
 * and the state manager's `noop`/`noopWrite`. They are instruments for measuring the cost of a
 * request against a request that does (next to) nothing, not part of the API, so each worker
 * serves them only where its own `BENCH_FLOORS` variable is `"1"`: never by default, never in
 * production.
 * @param env the worker's bindings
 * @returns `true` only for `BENCH_FLOORS === "1"`
 * @example
 * if (!benchFloorsEnabled(this.env)) return { ok: false, error: { code: "NOT_FOUND", message } };
 */
export function benchFloorsEnabled(env: { readonly BENCH_FLOORS?: string }): boolean {
  return env.BENCH_FLOORS === "1";
}

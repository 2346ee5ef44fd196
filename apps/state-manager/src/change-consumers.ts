import {
  type ChangeAck,
  type ChangeDelivery,
  FIRST_RETRY_DELAY_MS,
  MAX_RETRY_DELAY_MS,
  type Result,
} from "@chorus/core";

/**
 * What a worker implements to receive a workflow's committed changes from the outbox: a method
 * of a `WorkerEntrypoint`, bound to the state manager as a service binding named in its
 * `CHANGE_CONSUMERS` var.
 */
export interface ChangeConsumer {
  deliverChanges(input: ChangeDelivery): Promise<Result<ChangeAck>>;
}

/** Where change delivery goes and how it retries, read from the worker's vars. */
export interface DeliveryConfig {
  /** the consumers by binding name, in the order `CHANGE_CONSUMERS` lists them */
  consumers: Map<string, ChangeConsumer>;
  /** the wait after the first failed delivery to a consumer; it doubles with each failure */
  firstRetryMs: number;
  /** the longest wait between two attempts */
  maxRetryMs: number;
}

/**
 * Reads `CHANGE_CONSUMERS` (comma-separated service binding names), `CHANGE_RETRY_FIRST_MS` and
 * `CHANGE_RETRY_MAX_MS`. A name that is not a binding with `deliverChanges` is logged and left
 * out rather than failing every commit of the worker.
 * @param env the worker's env
 * @returns the configuration
 */
export function deliveryConfig(env: object): DeliveryConfig {
  const vars = env as Record<string, unknown>;
  const consumers = new Map<string, ChangeConsumer>();
  for (const name of String(vars.CHANGE_CONSUMERS ?? "").split(",")) {
    const binding = name.trim();
    if (binding === "") continue;
    const service = vars[binding];
    if (isConsumer(service)) consumers.set(binding, service);
    else console.error(`CHANGE_CONSUMERS names ${binding}, which is not a bound service`);
  }
  return {
    consumers,
    firstRetryMs: positive(vars.CHANGE_RETRY_FIRST_MS, FIRST_RETRY_DELAY_MS),
    maxRetryMs: positive(vars.CHANGE_RETRY_MAX_MS, MAX_RETRY_DELAY_MS),
  };
}

/**
 * How long a consumer waits before the next attempt: `firstRetryMs` after one failure,
 * doubling with each one after, at most `maxRetryMs`.
 * @param failures failed deliveries in a row (≥ 1)
 * @param config the retry settings
 * @returns the delay in milliseconds
 * @example
 * retryAfter(3, { firstRetryMs: 1000, maxRetryMs: 300_000 }); // 4000
 */
export function retryAfter(
  failures: number,
  config: Pick<DeliveryConfig, "firstRetryMs" | "maxRetryMs">,
): number {
  const exponent = Math.min(Math.max(0, failures - 1), 40);
  return Math.min(config.firstRetryMs * 2 ** exponent, config.maxRetryMs);
}

function isConsumer(value: unknown): value is ChangeConsumer {
  // A service binding is a proxy: any property reads as a function, so check that much only.
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { deliverChanges?: unknown }).deliverChanges === "function"
  );
}

function positive(raw: unknown, fallback: number): number {
  const value = Number(raw);
  return raw !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

import { SIGNATURE_HEADER, signWebhook } from "@chorus/core";
import { messageOf } from "./agent-log.ts";
import { positiveVar } from "./positive-var.ts";
import type { RuleTable, StoredDelivery } from "./rule-table.ts";

/** How many attempts a webhook gets before it is given up (`failed`). */
export const WEBHOOK_MAX_ATTEMPTS = 8;

/** How long one attempt may wait for an answer. */
const ATTEMPT_TIMEOUT_MS = 10_000;

/** How many deliveries one alarm run sends at most. */
const PER_RUN = 20;

/** How webhooks back off: the first wait, doubling, at most `maxMs`. */
export interface WebhookRetry {
  firstMs: number;
  maxMs: number;
}

/**
 * Reads `WEBHOOK_RETRY_FIRST_MS` (1 s when unset) and `WEBHOOK_RETRY_MAX_MS` (5 min).
 * @param env the worker's bindings
 * @returns the retry settings
 */
export function webhookRetry(env: object): WebhookRetry {
  return {
    firstMs: positiveVar(env, "WEBHOOK_RETRY_FIRST_MS", 1000),
    maxMs: positiveVar(env, "WEBHOOK_RETRY_MAX_MS", 300_000),
  };
}

/**
 * Sends the webhooks due by `now`, each signed afresh (`X-Chorus-Signature`) with its id in
 * `X-Chorus-Delivery` so a receiver can drop repeats. A 2xx answer delivers it; anything else
 * (another status, a network error, a timeout) is logged in its history and retried after a
 * backoff, until {@link WEBHOOK_MAX_ATTEMPTS}.
 * @param table the bridge's rule table
 * @param now the time
 * @param retry the backoff
 * @returns how many were delivered
 */
export async function sendDueWebhooks(
  table: RuleTable,
  now: number,
  retry: WebhookRetry,
): Promise<number> {
  let delivered = 0;
  for (const delivery of table.due(now, PER_RUN)) {
    const outcome = await attempt(delivery);
    const at = Date.now();
    const attempts = delivery.attempts + 1;
    const history = [...delivery.history, { at, ...outcome }];
    let next: StoredDelivery;
    if (outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300) {
      delivered++;
      const { nextAttemptAt: _next, ...rest } = delivery;
      next = { ...rest, status: "delivered", attempts, history, deliveredAt: at };
    } else if (attempts >= WEBHOOK_MAX_ATTEMPTS) {
      const { nextAttemptAt: _next, ...rest } = delivery;
      next = { ...rest, status: "failed", attempts, history };
    } else {
      const wait = Math.min(retry.firstMs * 2 ** (attempts - 1), retry.maxMs);
      next = { ...delivery, attempts, history, nextAttemptAt: at + wait };
    }
    table.attempted(next);
  }
  return delivered;
}

async function attempt(delivery: StoredDelivery): Promise<{ status?: number; error?: string }> {
  try {
    const signature = await signWebhook(delivery.secret, delivery.body, Date.now() / 1000);
    const response = await fetch(delivery.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        [SIGNATURE_HEADER]: signature,
        "x-chorus-delivery": delivery.id,
      },
      body: delivery.body,
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
    await response.body?.cancel();
    return response.ok
      ? { status: response.status }
      : { status: response.status, error: `HTTP ${response.status}` };
  } catch (error) {
    return { error: messageOf(error) };
  }
}

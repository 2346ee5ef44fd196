import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { ChangeConsumer } from "./fixtures/change-consumer/index.ts";

/** The test change consumer, bound as the state manager's `TEST_CONSUMER`. */
export const consumer = (env as unknown as { TEST_CONSUMER: Service<ChangeConsumer> })
  .TEST_CONSUMER;

/** The binding name the state manager delivers under. */
export const CONSUMER = "TEST_CONSUMER";

/**
 * Polls until `read()` satisfies `done`.
 * @returns the last value read
 */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > until) expect.fail(`timed out; last seen ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
    value = await read();
  }
  return value;
}

/** @returns 1, 2, …, n */
export function upTo(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

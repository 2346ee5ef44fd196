import { describe, expect, it } from "vitest";
import { MAX_RETRY_DELAY_MS, retryDelay } from "./backoff.ts";

describe("retryDelay", () => {
  it("waits 1 s after the first failure and doubles after each one", () => {
    expect([1, 2, 3, 4].map(retryDelay)).toEqual([1000, 2000, 4000, 8000]);
  });

  it("never waits more than 5 minutes", () => {
    expect(retryDelay(9)).toBe(256_000);
    expect(retryDelay(10)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelay(1000)).toBe(MAX_RETRY_DELAY_MS);
  });
});

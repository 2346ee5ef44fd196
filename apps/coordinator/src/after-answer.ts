import type { Result } from "@chorus/core";

/**
 * Runs a Durable Object's write that only frees capacity once the current call has answered. A
 * write made before the answer holds it until the write is durable (the output gate); this one
 * does not, yet it runs before any call that arrives later, which sees its effect. Lost to an
 * object reset, it leaves slots held until their reservation or lease row runs out: capacity is
 * never overcounted, only freed late.
 * @param what what the write does, for the log when it fails
 * @param write the write
 */
export function afterAnswer(what: string, write: () => Promise<Result<unknown>>): void {
  setTimeout(() => {
    void write().then(
      (result) => {
        if (!result.ok) console.warn(`${what}: ${result.error.message}`);
      },
      (error: unknown) => console.warn(`${what}:`, error),
    );
  }, 0);
}

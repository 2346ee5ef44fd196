import { attempt, type Result } from "@chorus/core";
import { LatencyWindow } from "./latency.ts";
import { SerialQueue } from "./serial-queue.ts";

/**
 * Runs the object's RPC calls as {@link Result}s: writes one at a time through the write queue,
 * reads at once, and times both for `metrics()`.
 */
export class CallRunner {
  readonly #writes = new SerialQueue();
  readonly #reads = new LatencyWindow();
  readonly #persists = new LatencyWindow();
  readonly #afterWrite: () => Promise<void>;
  #writeStarted = 0;

  /** @param afterWrite runs inside the queue after each successful write (keeps the alarm armed) */
  constructor(afterWrite: () => Promise<void>) {
    this.#afterWrite = afterWrite;
  }

  /** @returns the write's result once every earlier write has settled, its failure as data */
  write<T>(fn: () => Promise<T>): Promise<Result<T>> {
    return attempt(() =>
      this.#writes.run(async () => {
        const started = performance.now();
        this.#writeStarted = started;
        try {
          const result = await fn();
          await this.#afterWrite();
          return result;
        } finally {
          this.#persists.record(performance.now() - started);
        }
      }),
    );
  }

  /** @returns the read's result, its failure as data */
  read<T>(fn: () => Promise<T>): Promise<Result<T>> {
    return attempt(async () => {
      const started = performance.now();
      try {
        return await fn();
      } finally {
        this.#reads.record(performance.now() - started);
      }
    });
  }

  /** Runs `step` in the write queue, untimed and unwrapped: the alarm's own writes. */
  exclusive<T>(step: () => Promise<T>): Promise<T> {
    return this.#writes.run(step);
  }

  /** @returns milliseconds since the current (or last) write started */
  writeElapsedMs(): number {
    return performance.now() - this.#writeStarted;
  }

  /** @returns the windows of read (retrieval) and write (persistence) latencies */
  latencies(): { retrieval: LatencyWindow; persistence: LatencyWindow } {
    return { retrieval: this.#reads, persistence: this.#persists };
  }
}

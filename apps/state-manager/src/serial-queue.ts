/**
 * Runs async tasks one at a time, in arrival order, and lets the writes of tasks that queued up
 * together commit as one SQLite transaction (group commit).
 *
 * One at a time: a Durable Object's input gate only holds other events back while storage is
 * awaited; a commit also awaits WebCrypto (the checksum), and two commits interleaving there
 * could both build on the same head.
 *
 * Group commit: the object's writes made without yielding to the event loop land in one
 * implicit transaction, and committing a transaction costs far more than the rows in it (a
 * one-row insert and an eight-row insert run at the same rate). So while writes keep coming, the
 * queue takes every task waiting when it starts, runs them back to back, and only then yields,
 * once, for that batch's transaction to commit and for the next batch to arrive. Each task
 * still writes inside its own `transactionSync`, so a failed task rolls back alone; and no
 * caller hears of a write before it is durable, because the output gate holds every reply until
 * the batch has committed. A lone task runs at once, and an object that is not busy (no batch
 * ended within `busyWindowMs`) does not yield at all: nothing would arrive during the yield.
 */
export class SerialQueue {
  #waiting: Array<() => Promise<void>> = [];
  #draining = false;
  #lastBatchEnded = Number.NEGATIVE_INFINITY;
  readonly #yieldTurn: () => Promise<unknown>;
  readonly #busyWindowMs: number;

  /**
   * @param options.yieldTurn how the queue lets the event loop run between batches
   * @param options.busyWindowMs a batch that starts this soon after the last one ended yields
   */
  constructor(options: { yieldTurn?: () => Promise<unknown>; busyWindowMs?: number } = {}) {
    this.#yieldTurn = options.yieldTurn ?? (() => scheduler.wait(0));
    this.#busyWindowMs = options.busyWindowMs ?? 5;
  }

  /**
   * @param task the work to run once every earlier task has settled
   * @returns the task's result
   */
  run<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#waiting.push(async () => {
        try {
          resolve(await task());
        } catch (error) {
          reject(error);
        }
      });
      if (!this.#draining) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#waiting.length > 0) {
        const busy = Date.now() - this.#lastBatchEnded < this.#busyWindowMs;
        const batch = this.#waiting.splice(0);
        for (const next of batch) await next();
        this.#lastBatchEnded = Date.now();
        if (busy || batch.length > 1) await this.#yieldTurn();
      }
    } finally {
      this.#draining = false;
    }
  }
}

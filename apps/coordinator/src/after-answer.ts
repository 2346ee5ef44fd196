/**
 * Writes of a Durable Object that only free capacity or record what another object already
 * counts, run once the call that caused them has answered. A write made before the answer holds
 * it until the write is durable (the output gate); these do not. Every call to the object that
 * reads what they change runs the queue first, so it sees their effect whatever the timer's
 * timing; a timer runs them when no such call comes. Lost to an object reset, a write leaves
 * slots held until their reservation or lease row runs out (capacity is never overcounted, only
 * freed late), or leaves the shard's view of an agent whose task board counts it behind.
 */
export class AfterAnswer {
  readonly #pending: { what: string; write: () => void }[] = [];
  readonly #run: (write: () => void) => void;
  readonly #ran: () => Promise<void>;
  readonly #delayMs: number;

  /**
   * @param run runs one write (in its own transaction)
   * @param ran follows up writes that ran from the timer (arms the alarm)
   * @param delayMs how long the timer lets writes gather: those it runs together commit as
   *   one transaction, one `fsync` for all of them
   */
  constructor(run: (write: () => void) => void, ran: () => Promise<void>, delayMs = 0) {
    this.#run = run;
    this.#ran = ran;
    this.#delayMs = delayMs;
  }

  /** Queues a write; `what` names it in the log if it fails. */
  add(what: string, write: () => void): void {
    this.#pending.push({ what, write });
    if (this.#pending.length > 1) return;
    setTimeout(() => {
      if (this.flush()) void this.#ran().catch((error) => console.warn("after answer:", error));
    }, this.#delayMs);
  }

  /**
   * Runs every queued write, in order, each on its own: one that fails is logged and dropped.
   * @returns whether any ran
   */
  flush(): boolean {
    if (this.#pending.length === 0) return false;
    for (const { what, write } of this.#pending.splice(0)) {
      try {
        this.#run(write);
      } catch (error) {
        console.warn(`${what}:`, error);
      }
    }
    return true;
  }
}

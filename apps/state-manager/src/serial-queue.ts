/**
 * Runs async tasks one at a time, in arrival order.
 *
 * A Durable Object's input gate only holds other events back while storage is awaited; a
 * commit also awaits WebCrypto (the checksum), and two commits interleaving there could both
 * build on the same head. Chaining every write through one queue rules that out.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  /**
   * @param task the work to run once every earlier task has settled
   * @returns the task's result
   */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task, task);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

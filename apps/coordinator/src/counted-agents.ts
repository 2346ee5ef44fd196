/**
 * Agents whose capacity this isolate has seen a task board count (they work on one workflow
 * only). Ending such an agent's lease on its shard is bookkeeping, not capacity: its next claim
 * is capped by the board, which the completion has already reached. So its completions need
 * not wait for the shard. Bounded, oldest forgotten first; forgetting an agent only makes its
 * completions wait again, and an isolate that never saw its claims waits as before.
 */
export class CountedAgents {
  readonly #ids = new Set<string>();
  readonly #limit: number;

  constructor(limit = 10_000) {
    this.#limit = limit;
  }

  add(agentId: string): void {
    if (this.#ids.has(agentId)) return;
    this.#ids.add(agentId);
    if (this.#ids.size > this.#limit) {
      const oldest = this.#ids.values().next();
      if (oldest.done !== true) this.#ids.delete(oldest.value);
    }
  }

  has(agentId: string): boolean {
    return this.#ids.has(agentId);
  }
}

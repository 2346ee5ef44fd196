/** A seeded pseudo-random source (mulberry32), so that a failing run can be replayed. */
export class Random {
  #state: number;

  /** @param seed any 32-bit integer */
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** @returns a float in [0, 1) */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** @returns an integer in [0, n) */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** @returns one of the items */
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }
}

/** @returns a seed from `value` (a number), or a fresh random one */
export function seedOf(value: string | undefined): number {
  const parsed = Number(value);
  return Number.isSafeInteger(parsed) ? parsed >>> 0 : Math.floor(Math.random() * 2 ** 32);
}

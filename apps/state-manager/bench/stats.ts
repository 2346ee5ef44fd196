/**
 * @param samples durations or rates, any order
 * @param q the quantile, 0 to 1
 * @returns the nearest-rank quantile; NaN when there are no samples
 */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

/** The middle value. */
export const median = (samples: readonly number[]): number => quantile(samples, 0.5);

/** A value measured several times: its median and the range it spread over. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

/**
 * @param values one value per round
 * @returns their median, minimum and maximum
 */
export function spread(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/**
 * A small seeded generator (mulberry32), so the interleaving is the same on every run.
 * @param seed any integer
 * @returns a function giving numbers in [0, 1)
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * @param items what to shuffle, in place
 * @param random a generator from {@link seededRandom}
 * @returns the same array, in Fisher–Yates order
 */
export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/**
 * The q-quantile of a sorted sample, interpolated between the two nearest ranks.
 * @param sorted values in ascending order
 * @param q between 0 and 1
 * @returns the quantile, or `NaN` for an empty sample
 */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = (sorted.length - 1) * q;
  const low = Math.floor(rank);
  const lowValue = sorted[low] ?? Number.NaN;
  const highValue = sorted[Math.min(low + 1, sorted.length - 1)] ?? lowValue;
  return lowValue + (highValue - lowValue) * (rank - low);
}

/** The median and the extremes of a few repeated measurements. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

/**
 * Summarises repeated measurements of one quantity.
 * @param values one per round
 * @returns the median, min and max
 */
export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  };
}

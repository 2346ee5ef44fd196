/**
 * The statistics every Chorus benchmark reports (core's, the state manager's and the whole
 * stack's), kept in one module so that a p50 or a p99 is the same measure in every results file.
 *
 * Quantiles are interpolated linearly between the two nearest ranks: Hyndman and Fan's
 * definition 7, the default of NumPy, R and tinybench. Unlike the nearest rank, the median of an
 * even number of values is the mean of the middle two, which matters for the medians of two or
 * four rounds.
 */

/**
 * The q-quantile of a sample, interpolated between the two nearest ranks.
 * @param samples the values, in any order (not changed)
 * @param q between 0 and 1
 * @returns the quantile, or `NaN` for an empty sample
 * @example quantile([4, 1, 3, 2], 0.5) // 2.5
 */
export function quantile(samples: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(samples).sort();
  if (sorted.length === 0) return Number.NaN;
  const rank = (sorted.length - 1) * q;
  const low = Math.floor(rank);
  const lowValue = sorted[low] ?? Number.NaN;
  const highValue = sorted[Math.min(low + 1, sorted.length - 1)] ?? lowValue;
  return lowValue + (highValue - lowValue) * (rank - low);
}

/**
 * The middle value of a sample: {@link quantile} at 0.5.
 * @param samples the values, in any order
 * @returns the median, or `NaN` for an empty sample
 */
export function median(samples: ArrayLike<number>): number {
  return quantile(samples, 0.5);
}

/** A quantity measured several times: its median and the range it spread over. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

/**
 * Summarises repeated measurements of one quantity.
 * @param values one per round, in any order
 * @returns their median, minimum and maximum (`NaN` each when there are none)
 */
export function spread(values: ArrayLike<number>): Spread {
  const sorted = Float64Array.from(values).sort();
  return {
    median: quantile(sorted, 0.5),
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  };
}

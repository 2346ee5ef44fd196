import { describe, expect, it } from "vitest";
import { median, quantile, spread } from "./stats.ts";

describe("quantile", () => {
  it("interpolates between the two nearest ranks", () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantile(hundred, 0.99)).toBeCloseTo(99.01, 10);
    expect(quantile(hundred, 0.9)).toBeCloseTo(90.1, 10);
  });

  it("takes the mean of the middle two as the median of an even sample", () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([1834, 1960])).toBe(1897);
  });

  it("sorts a copy, numerically, and leaves its input as it was", () => {
    const samples = [10, 9, 100, 1];
    expect(quantile(samples, 0)).toBe(1);
    expect(quantile(samples, 1)).toBe(100);
    expect(samples).toEqual([10, 9, 100, 1]);
  });

  it("answers NaN for an empty sample", () => {
    expect(quantile([], 0.5)).toBeNaN();
  });
});

describe("spread", () => {
  it("gives the median and the extremes of the rounds", () => {
    expect(spread([3, 10, 1, 2])).toEqual({ median: 2.5, min: 1, max: 10 });
  });

  it("gives NaN for no rounds", () => {
    expect(spread([])).toEqual({ median: Number.NaN, min: Number.NaN, max: Number.NaN });
  });
});

/** How many recent samples a {@link LatencyWindow} keeps. */
const WINDOW = 1024;

/** Average and 99th percentile of recent durations, from a fixed ring of samples. */
export class LatencyWindow {
  readonly #samples = new Float64Array(WINDOW);
  #count = 0;

  /** @param ms one duration in milliseconds */
  record(ms: number): void {
    this.#samples[this.#count % WINDOW] = ms;
    this.#count++;
  }

  /** @returns `{ count, avgMs, p99Ms }` over the samples kept */
  summary(): { count: number; avgMs: number; p99Ms: number } {
    const n = Math.min(this.#count, WINDOW);
    if (n === 0) return { count: 0, avgMs: 0, p99Ms: 0 };
    const sorted = this.#samples.slice(0, n).sort();
    let sum = 0;
    for (const sample of sorted) sum += sample;
    const p99 = sorted[Math.min(n - 1, Math.ceil(n * 0.99) - 1)] ?? 0;
    return { count: this.#count, avgMs: sum / n, p99Ms: p99 };
  }
}

import { availableParallelism } from "node:os";
import { quantile } from "@chorus/core/bench/stats";
import autocannon from "autocannon";
import { type CpuUse, cpuBetween, sampleCpu } from "./cpu-usage.ts";
import { EXPECTED_STATUS, type Scenario } from "./scenarios.ts";

/** What one scenario run measured. */
export interface Measurement {
  scenario: string;
  round: number;
  /** responses with the expected status, per second */
  rps: number;
  /** latency of the expected-status responses, in milliseconds */
  p50: number;
  p99: number;
  mean: number;
  /** responses with the expected status */
  ok: number;
  /** responses with any other status, by status */
  unexpected: Record<string, number>;
  /** connection errors and timeouts */
  errors: number;
  timeouts: number;
  /** cores used meanwhile by the benchmark and by everything else; `undefined` off Linux */
  cpu: CpuUse | undefined;
  /** how many runs it took to get one on a quiet enough machine */
  attempts?: number;
}

/**
 * Runs one scenario with autocannon for `duration` seconds. Latencies are taken from every
 * response at full `hrtime` precision (autocannon's own histogram rounds to whole milliseconds).
 * @param options the base URL, the request to repeat, the scenario and how long
 * @returns the measurement
 */
export async function measure(options: {
  url: string;
  request: autocannon.Request;
  scenario: Scenario;
  round: number;
  duration: number;
}): Promise<Measurement> {
  const { scenario } = options;
  const expected = EXPECTED_STATUS[scenario.operation];
  const latencies: number[] = [];
  const unexpected: Record<string, number> = {};
  const before = sampleCpu();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: scenario.connections,
        duration: options.duration,
        requests: [options.request],
      },
      (error: unknown, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on("response", (_client, status, _bytes, responseTime) => {
      if (status === expected) latencies.push(responseTime);
      else unexpected[status] = (unexpected[status] ?? 0) + 1;
    });
  });
  const cpu = cpuBetween(before, sampleCpu(), availableParallelism());
  const total = latencies.reduce((sum, value) => sum + value, 0);
  return {
    scenario: scenario.name,
    round: options.round,
    rps: latencies.length / result.duration,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    mean: latencies.length === 0 ? Number.NaN : total / latencies.length,
    ok: latencies.length,
    unexpected,
    errors: result.errors,
    timeouts: result.timeouts,
    cpu,
  };
}

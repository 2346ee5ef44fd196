import { seededRandom, shuffle } from "./shuffle.ts";
import type { BenchWorkflow, OpName } from "./workflow.ts";

/** Latency samples in milliseconds: per operation, one array per round. */
export type LatencySamples = Map<OpName, number[][]>;

/**
 * Times every operation once per iteration, in a new shuffled order each time, so each one sees
 * the same machine load as the no-op beside it; rounds give the spread.
 * @param wf the workflow
 * @param ops the operations to time
 * @param plan warm-up iterations (not recorded), rounds, and iterations per round
 * @returns the samples
 */
export async function interleavedLatency(
  wf: BenchWorkflow,
  ops: readonly OpName[],
  plan: { warmup: number; rounds: number; perRound: number },
): Promise<LatencySamples> {
  const random = seededRandom(42);
  const samples: LatencySamples = new Map(ops.map((op) => [op, []]));
  for (let round = -1; round < plan.rounds; round++) {
    const iterations = round < 0 ? plan.warmup : plan.perRound;
    const current = new Map(ops.map((op) => [op, [] as number[]]));
    for (let i = 0; i < iterations; i++) {
      for (const op of shuffle([...ops], random)) {
        const ms = await wf.time(wf.prepare(op));
        current.get(op)?.push(ms);
      }
    }
    if (round >= 0) for (const [op, list] of current) samples.get(op)?.push(list);
  }
  return samples;
}

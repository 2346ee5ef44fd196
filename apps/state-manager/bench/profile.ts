import { median } from "@chorus/core/bench/stats";
import type { Harness } from "./harness.ts";
import { expectOk } from "./workflow.ts";

/** One step of the state manager's work, timed in workerd on the benchmark's state. */
export interface ProfileStep {
  step: string;
  /** where the state manager does it */
  where: string;
  ms: number;
}

/**
 * Times, inside workerd, each step a small-change commit or a read does to the whole state
 * (bench/worker/commit-steps.ts): the Floor object runs a step n times on the state it holds,
 * Node times that call and subtracts a call that runs it zero times. Median of five.
 * @param h the harness
 * @param name the floor object holding the state
 * @param budgetMs roughly how long to spend on each measurement
 * @returns the steps with their cost per call
 */
export async function profileSteps(
  h: Harness,
  name: string,
  budgetMs: number,
): Promise<ProfileStep[]> {
  const call = async (route: string, input: object) =>
    expectOk<unknown>(route, await h.call(route, JSON.stringify({ workflowId: name, ...input })));
  const where = (await call("/floor/steps", {})) as Record<string, string>;
  const timed = async (step: string, iterations: number) => {
    const started = performance.now();
    await call("/floor/profile", { step, iterations });
    return performance.now() - started;
  };
  const out: ProfileStep[] = [];
  for (const [step, place] of Object.entries(where)) {
    const once = Math.max(0.001, (await timed(step, 3)) / 3);
    const iterations = Math.max(1, Math.min(10_000, Math.round(budgetMs / once)));
    const perCall: number[] = [];
    for (let i = 0; i < 5; i++) {
      const empty = await timed(step, 0);
      perCall.push(Math.max(0, (await timed(step, iterations)) - empty) / iterations);
    }
    out.push({ step, where: place, ms: median(perCall) });
  }
  return out;
}

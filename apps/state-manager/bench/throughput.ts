import { changeSequence } from "./fixtures.ts";
import type { BatchInput } from "./worker/batch-input.ts";
import { type BenchWorkflow, expectOk, type OpName } from "./workflow.ts";

/** The operations whose throughput is compared. */
export type RateOp = Extract<
  OpName,
  "noop" | "insert" | "source" | "commitPatch" | "commitState" | "readHead"
>;

/** More changes than any batch gets through; the driver cycles if it does. */
const CHANGES = 4096;

/**
 * Runs one operation back to back for a while inside workerd (the driver's `/batch/run`, through
 * the same service bindings as single calls) and times the whole batch from Node, so that
 * Node's per-request HTTP leg, which would dominate a 1 KB commit, stays out of the rate.
 * One writer names the head as each commit's base; concurrent writers cannot know it, so they
 * send no `baseVersion` and the workflow's default policy (last writer wins over the head)
 * applies.
 * @param wf the workflow
 * @param op the operation
 * @param writers how many requests are in flight at once
 * @param ms how long to run
 * @returns operations per second
 */
export async function rate(
  wf: BenchWorkflow,
  op: RateOp,
  writers: number,
  ms: number,
): Promise<number> {
  const commits = op === "commitPatch" || op === "commitState";
  const input: BatchInput = {
    op,
    workflowId: wf.workflowId,
    ms,
    writers,
    changes: commits ? changeSequence(wf.state, wf.head, CHANGES) : [{ id: "-", status: "-" }],
    ...(op === "commitState" ? { state: wf.state } : {}),
    ...(writers === 1 ? { baseVersion: wf.head } : {}),
  };
  let count = 0;
  const elapsed = await wf.time({
    route: "/batch/run",
    body: JSON.stringify(input),
    done: (answer) => {
      count = expectOk<{ count: number }>("batch", answer).count;
    },
  });
  if (commits) await wf.sync();
  return (count / elapsed) * 1000;
}

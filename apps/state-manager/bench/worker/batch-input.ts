// What Node sends to the driver's `/batch/run`: plain types, shared by both sides.

/** A status change to one task. */
export interface Change {
  id: string;
  status: string;
}

/** One throughput measurement, run inside workerd so that Node's HTTP leg is not in it. */
export interface BatchInput {
  op: "noop" | "insert" | "source" | "commitPatch" | "commitState" | "readHead";
  workflowId: string;
  /** how long to keep going; workerd's clock moves on every RPC answer, which is enough here */
  ms: number;
  /** requests in flight at once */
  writers: number;
  /** changes to commit in turn: each one real when applied in order from `state`/`baseVersion` */
  changes: Change[];
  /** the head's state, for whole-state commits */
  state?: { tasks: Record<string, object> };
  /** the head's version: one writer names it as every commit's base, concurrent ones name none */
  baseVersion?: number;
}

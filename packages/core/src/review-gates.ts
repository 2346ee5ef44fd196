import { deepEqual, type JsonValue } from "./json.ts";
import type { JsonPatch } from "./json-patch.ts";
import { compilePathFilter, matchPointerGlob } from "./path-rules.ts";
import { formatPointer, getAt, hasAt, parsePointer } from "./pointer.ts";
import type { ReviewGate } from "./schemas/review-gate.ts";

/** One gated change: which gate, at which concrete path, and the approvals it needs. */
export interface GateHit {
  /** the gate's index in the settings */
  gate: number;
  path: string;
  approvals: number;
}

/**
 * @param gates the workflow's review gates
 * @param branch a branch
 * @returns whether any gate protects the branch
 */
export function isProtectedBranch(gates: readonly ReviewGate[], branch: string): boolean {
  return gates.some((gate) => gate.branches.includes(branch));
}

/**
 * Finds the changes a write makes on a branch that review gates protect: a patch operation at,
 * above or below a protected path; or a watched value that becomes a gated transition's `to`
 * (from its `from`, when given).
 * @param gates the workflow's review gates
 * @param branch the branch written
 * @param before the branch's state before the write
 * @param after the state the write makes
 * @param patch the change from `before` to `after`
 * @returns every hit, in gate order; none when the write may land directly
 * @example
 * gateHits([{ branches: ["main"], paths: ["/release/**"], approvals: 1 }], "main", {}, after, patch);
 */
export function gateHits(
  gates: readonly ReviewGate[],
  branch: string,
  before: JsonValue,
  after: JsonValue,
  patch: JsonPatch,
): GateHit[] {
  const hits: GateHit[] = [];
  gates.forEach((gate, index) => {
    if (!gate.branches.includes(branch)) return;
    const globs = gate.paths ?? (gate.transition === undefined ? [] : [gate.transition.path]);
    const concerns = compilePathFilter(globs);
    const touched = patch
      .flatMap((op) => (op.op === "move" ? [op.path, op.from] : [op.path]))
      .filter((path) => concerns(parsePointer(path)));
    if (touched.length === 0) return;
    const paths =
      gate.transition === undefined ? touched : transitions(gate.transition, before, after);
    for (const path of new Set(paths)) hits.push({ gate: index, path, approvals: gate.approvals });
  });
  return hits;
}

/**
 * Tells whether a gated write brings, at every gated path, exactly what an approved state holds
 * there (or, like it, nothing): the write an approved review's merge may make.
 * @param hits from {@link gateHits}
 * @param after the state the write makes
 * @param approved the state the reviewers approved
 */
export function matchesApproved(
  hits: readonly GateHit[],
  after: JsonValue,
  approved: JsonValue,
): boolean {
  return hits.every(({ path }) => {
    const has = hasAt(after, path);
    if (has !== hasAt(approved, path)) return false;
    return !has || deepEqual(getAt(after, path), getAt(approved, path));
  });
}

// The concrete pointers matching the transition's glob whose value became `to` (from `from`).
function transitions(
  transition: NonNullable<ReviewGate["transition"]>,
  before: JsonValue,
  after: JsonValue,
): string[] {
  return expand(after, [])
    .filter((tokens) => {
      const now = getAt(after, tokens);
      if (!deepEqual(now, transition.to)) return false;
      const had = hasAt(before, tokens);
      if (had && deepEqual(getAt(before, tokens), transition.to)) return false;
      if (transition.from === undefined) return true;
      return had && deepEqual(getAt(before, tokens), transition.from);
    })
    .map(formatPointer);

  // Every pointer in `value` (under `prefix`) that the glob matches.
  function expand(value: JsonValue, prefix: string[]): string[][] {
    const found = matchPointerGlob(transition.path, formatPointer(prefix)) ? [prefix] : [];
    if (typeof value !== "object" || value === null) return found;
    const entries = Array.isArray(value)
      ? value.map((item, i): [string, JsonValue] => [String(i), item])
      : Object.entries(value);
    for (const [key, child] of entries) found.push(...expand(child, [...prefix, key]));
    return found;
  }
}

import type { Conflict } from "./conflict.ts";
import { ChorusError } from "./errors.ts";
import type { ElementId } from "./merge-arrays.ts";
import { checkJsonAt, type JsonSite } from "./merge-check.ts";
import { checkChange } from "./merge-equal.ts";
import { ABSENT, type Side } from "./merge-side.ts";
import type {
  RegisteredStrategy,
  StrategyContext,
  StrategyOutcome,
  WriterInfo,
} from "./strategies.ts";

/** Where a conflict sits in a merge, and what its strategy is told beyond the sides. */
export interface ConflictSite extends JsonSite {
  /** The path as unescaped tokens; copied before a strategy sees it. */
  readonly tokens: readonly string[];
  /** The id of the innermost id-keyed array element the conflict sits in. */
  readonly id: ElementId | undefined;
  readonly writers: WriterInfo;
}

/** A conflict as recorded, and what its strategy made of it. */
export interface Settlement {
  readonly conflict: Conflict;
  readonly outcome: StrategyOutcome;
}

/**
 * Records a conflict and asks a strategy to settle it. Base, what ours, theirs and the strategy's
 * value do not share with base, and the shape of the strategy's answer are all checked, since a
 * custom strategy may return anything at run time.
 * @param strategy the registered strategy
 * @param base the common ancestor's value, or `ABSENT`
 * @param ours our value, or `ABSENT`
 * @param theirs their value, or `ABSENT`
 * @param site where the conflict sits
 * @returns the conflict record (absent sides left out) and the checked outcome
 * @throws ChorusError `VALIDATION_FAILED` naming the path when the answer is malformed or removes
 *   the root; `INVALID_JSON` or `TOO_DEEP` for a bad side or value
 * @example
 * const site = { path: "/a", depth: 1, maxDepth: 512, tokens: ["a"], id: undefined, writers: {} };
 * settle(defaultStrategies.get("ours"), 0, 1, 2, site).outcome; // { resolved: true, value: 1 }
 */
export function settle(
  strategy: RegisteredStrategy,
  base: Side,
  ours: Side,
  theirs: Side,
  site: ConflictSite,
): Settlement {
  const conflict: Conflict =
    site.id === undefined ? { path: site.path } : { path: site.path, id: site.id };
  for (const [name, side] of [
    ["base", base],
    ["ours", ours],
    ["theirs", theirs],
  ] as const) {
    if (side === ABSENT) continue;
    if (name === "base") checkJsonAt(side, site);
    else checkChange(side, base, site);
    conflict[name] = side;
  }
  const context: StrategyContext = { ...site.writers, tokens: [...site.tokens] };
  const answer: unknown = strategy.run({ ...conflict, context });
  return { conflict, outcome: checkOutcome(answer, strategy, base, site) };
}

function checkOutcome(
  answer: unknown,
  strategy: RegisteredStrategy,
  base: Side,
  site: JsonSite,
): StrategyOutcome {
  if (typeof answer === "object" && answer !== null && "resolved" in answer) {
    if (answer.resolved === false) return { resolved: false };
    if (answer.resolved === true && "remove" in answer && answer.remove === true) {
      if (site.depth === 0) refuse(strategy, site, "cannot remove the document root");
      return { resolved: true, remove: true };
    }
    if (answer.resolved === true && "value" in answer) {
      checkChange(answer.value, base, site);
      return { resolved: true, value: answer.value };
    }
  }
  return refuse(
    strategy,
    site,
    "must return { resolved: false }, { resolved: true, value } or { resolved: true, remove: true }",
  );
}

function refuse(strategy: RegisteredStrategy, site: JsonSite, problem: string): never {
  const message = `merge strategy "${strategy.name}" ${problem}`;
  throw new ChorusError("VALIDATION_FAILED", message, {
    path: site.path,
    details: { issues: [{ path: site.path, message }] },
  });
}

import type { JsonValue } from "./json.ts";
import type { Strategy, StrategyOptions, StrategyOutcome } from "./strategies.ts";
import { lastWriterWins } from "./strategy-lww.ts";

// Keeps a side: its value, or removal when that side deleted the value.
function keepSide(side: JsonValue | undefined): StrategyOutcome {
  return side === undefined ? { resolved: true, remove: true } : { resolved: true, value: side };
}

/**
 * Additive counters: each side's change is applied on top of the other, `ours + theirs - base`.
 * Declines unless all three sides are numbers and the sum is finite.
 */
const sum: Strategy = ({ base, ours, theirs }) => {
  if (typeof base !== "number" || typeof ours !== "number" || typeof theirs !== "number") {
    return { resolved: false };
  }
  // `ours + theirs` commutes exactly in IEEE 754, so swapping the sides gives the same number.
  const value = ours + theirs - base;
  return Number.isFinite(value) ? { resolved: true, value } : { resolved: false };
};

/** A built-in strategy and the options it is registered with. */
export interface BuiltinStrategy extends StrategyOptions {
  readonly run: Strategy;
}

/**
 * The strategies every {@link StrategyRegistry} starts with: `reject` leaves the conflict,
 * `ours` and `theirs` keep that side (deletion included), `last-writer-wins` keeps the side with
 * the later timestamp, and `sum` merges numeric counters additively, agreed changes included.
 *
 * @example
 * builtinStrategies.sum?.run({ path: "/n", base: 1, ours: 3, theirs: 4, context: { tokens: [] } });
 * // { resolved: true, value: 6 }
 */
export const builtinStrategies: Readonly<Record<string, BuiltinStrategy>> = {
  reject: { run: () => ({ resolved: false }) },
  ours: { run: ({ ours }) => keepSide(ours) },
  theirs: { run: ({ theirs }) => keepSide(theirs) },
  "last-writer-wins": { run: lastWriterWins },
  sum: { run: sum, settlesAgreements: true },
};

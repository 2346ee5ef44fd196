import { builtinStrategies } from "./builtin-strategies.ts";
import type { Conflict } from "./conflict.ts";
import { ChorusError } from "./errors.ts";
import type { JsonValue } from "./json.ts";

/** Who wrote each side of a merge and when, for strategies such as `last-writer-wins`. */
export interface WriterInfo {
  /** When ours was written, in any consistent unit (e.g. milliseconds since the epoch). */
  oursTimestamp?: number;
  /** When theirs was written, in the same unit as `oursTimestamp`. */
  theirsTimestamp?: number;
  /** Who wrote ours; breaks timestamp ties. */
  oursAuthor?: string;
  /** Who wrote theirs; breaks timestamp ties. */
  theirsAuthor?: string;
}

/** What a strategy knows about a conflict beyond the conflict itself. */
export interface StrategyContext extends Readonly<WriterInfo> {
  /** The conflict's path as unescaped reference tokens. */
  readonly tokens: readonly string[];
}

/** The conflict a strategy is asked to settle (absent sides left out), with its context. */
export type StrategyInput = Readonly<Conflict> & { readonly context: StrategyContext };

/** A strategy's answer: the value to keep, removal of the value, or no decision. */
export type StrategyOutcome =
  | { resolved: true; value: JsonValue }
  | { resolved: true; remove: true }
  | { resolved: false };

/** Settles one merge conflict, or declines to. */
export type Strategy = (input: StrategyInput) => StrategyOutcome;

/** How a strategy is registered. */
export interface StrategyOptions {
  /**
   * Also offer the strategy changes both sides agree on, not only conflicts: for strategies such
   * as `sum`, where two sides each adding 1 to 5 must give 7, not the 6 they agree on. Such an
   * agreement is offered where the merge detects it; if the strategy declines, the agreed value
   * stands and is reported as clean.
   */
  settlesAgreements?: boolean;
}

/** A strategy as a registry holds it. */
export interface RegisteredStrategy {
  readonly name: string;
  readonly run: Strategy;
  readonly settlesAgreements: boolean;
}

/**
 * A set of named merge strategies. Each new registry starts with the built-ins (`reject`,
 * `ours`, `theirs`, `last-writer-wins`, `sum`), so a test can register into its own registry
 * without leaking into {@link defaultStrategies}.
 *
 * @example
 * const registry = new StrategyRegistry().register("max", ({ ours, theirs }) =>
 *   typeof ours === "number" && typeof theirs === "number"
 *     ? { resolved: true, value: Math.max(ours, theirs) }
 *     : { resolved: false },
 * );
 * merge(base, ours, theirs, { registry, defaultStrategy: "max" });
 */
export class StrategyRegistry {
  readonly #strategies = new Map<string, RegisteredStrategy>();

  constructor() {
    for (const [name, { run, ...options }] of Object.entries(builtinStrategies)) {
      this.register(name, run, options);
    }
  }

  /**
   * Adds a strategy; a later registration replaces an earlier one of the same name.
   * @param name the name rules and `defaultStrategy` refer to
   * @param strategy the function that settles a conflict
   * @param options `settlesAgreements`, to be offered agreed changes too
   * @returns this registry, for chaining
   */
  register(name: string, strategy: Strategy, options: StrategyOptions = {}): this {
    this.#strategies.set(name, {
      name,
      run: strategy,
      settlesAgreements: options.settlesAgreements === true,
    });
    return this;
  }

  /**
   * @param name a strategy name
   * @returns whether a strategy of that name is registered
   */
  has(name: string): boolean {
    return this.#strategies.has(name);
  }

  /**
   * @param name a strategy name
   * @returns the strategy with its options
   * @throws ChorusError `UNKNOWN_STRATEGY` naming it when none is registered
   */
  get(name: string): RegisteredStrategy {
    const strategy = this.#strategies.get(name);
    if (strategy === undefined) {
      throw new ChorusError("UNKNOWN_STRATEGY", `no merge strategy is named "${String(name)}"`, {
        details: { strategy: name, known: this.names() },
      });
    }
    return strategy;
  }

  /** @returns the registered names, built-ins first */
  names(): string[] {
    return [...this.#strategies.keys()];
  }
}

/** The shared registry that {@link merge} uses unless given another. */
export const defaultStrategies = new StrategyRegistry();

/**
 * Adds a strategy to the shared {@link defaultStrategies} registry.
 * @param name the name rules and `defaultStrategy` refer to
 * @param strategy the function that settles a conflict
 * @param options `settlesAgreements`, to be offered agreed changes too
 * @example
 * registerStrategy("keep-longer", ({ ours, theirs }) =>
 *   typeof ours === "string" && typeof theirs === "string"
 *     ? { resolved: true, value: ours.length >= theirs.length ? ours : theirs }
 *     : { resolved: false },
 * );
 */
export function registerStrategy(
  name: string,
  strategy: Strategy,
  options: StrategyOptions = {},
): void {
  defaultStrategies.register(name, strategy, options);
}

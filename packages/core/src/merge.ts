import type { Conflict, ResolvedConflict } from "./conflict.ts";
import { ChorusError } from "./errors.ts";
import { DEFAULT_MAX_DEPTH, type JsonValue } from "./json.ts";
import { jsonKind, refuseNonJson } from "./merge-check.ts";
import { ABSENT } from "./merge-side.ts";
import { MergeWalk, type WalkSettings } from "./merge-walk.ts";
import { compilePathRules, type PathRule } from "./path-rules.ts";
import { defaultStrategies, type StrategyRegistry, type WriterInfo } from "./strategies.ts";

/** Options for {@link merge}. */
export interface MergeOptions extends WriterInfo {
  /** Strategies by path; the first rule whose pointer glob matches a conflict's path applies. */
  rules?: readonly PathRule[];
  /** The strategy for conflicts no rule matches; `reject` (leave the conflict) by default. */
  defaultStrategy?: string;
  /** Where strategy names are looked up; the shared `defaultStrategies` by default. */
  registry?: StrategyRegistry;
  /**
   * Nesting deeper than this is refused with `TOO_DEEP`; {@link DEFAULT_MAX_DEPTH} by default.
   * The merge recurses once per level, so above about a thousand the engine's stack may end the
   * walk first; that too is reported as `TOO_DEEP`.
   */
  maxDepth?: number;
}

/** The outcome of a three-way {@link merge}. */
export interface MergeResult {
  /** The merged document; where a conflict is left unresolved, ours' value stays in place. */
  value: JsonValue;
  /** Pointers where one side's change was taken or both sides made the same change. */
  clean: string[];
  /** Conflicts a strategy settled, with the strategy's name. */
  resolved: ResolvedConflict[];
  /** Conflicts left for the caller. */
  conflicts: Conflict[];
}

/**
 * Merges two documents that both descend from `base`. Where only one side changed a value, that
 * change is taken; where both made the same change, it stands (unless a strategy registered to
 * settle agreements, such as `sum`, applies there); objects merge key by key; arrays whose
 * elements on all three sides are objects with unique string or number `id`s merge element by
 * element, in ours' order followed by theirs' new elements (in theirs' order, followed by ours'
 * new elements, when only theirs reordered); other arrays, and everything else both sides
 * changed differently, are conflicts, offered to the strategy of the first matching rule or the
 * default. Unchanged subtrees are shared by reference, never copied, and subtrees that are the
 * same reference on the sides compared are never entered, so two small edits to a large
 * document cost little more than walking the changed paths.
 *
 * Conflict paths are JSON Pointers into the merged document. Inside an array merged by id the
 * index token is the element's index in the merged output, or where it would have stood when it
 * was removed; since indexes shift as elements come and go, the record also carries the element's
 * `id` (of the innermost such element).
 *
 * @param base the common ancestor
 * @param ours our version
 * @param theirs their version
 * @param options rules, strategies, the writers of each side and the depth limit
 * @returns the merged value and what was clean, resolved and left in conflict
 * @throws ChorusError `INVALID_JSON` or `TOO_DEEP` naming the path of a bad value in the parts
 *   of the inputs the merge enters (data shared by reference with base is trusted as base is),
 *   `INVALID_POINTER` for a bad rule path, `UNKNOWN_STRATEGY` for a strategy name not in the
 *   registry, `VALIDATION_FAILED` when a strategy cannot run (`last-writer-wins` without
 *   timestamps) or answers malformed
 * @example
 * const base = { tasks: [{ id: "t1", title: "Draft", done: false }] };
 * const ours = { tasks: [{ id: "t1", title: "Draft v2", done: false }] };
 * const theirs = { tasks: [{ id: "t1", title: "Draft", done: true }, { id: "t2", title: "Ship" }] };
 * merge(base, ours, theirs).value;
 * // { tasks: [{ id: "t1", title: "Draft v2", done: true }, { id: "t2", title: "Ship" }] }
 */
export function merge(
  base: JsonValue,
  ours: JsonValue,
  theirs: JsonValue,
  options: MergeOptions = {},
): MergeResult {
  if (jsonKind(base) === undefined) refuseNonJson(base, "");
  if (jsonKind(ours) === undefined) refuseNonJson(ours, "");
  if (jsonKind(theirs) === undefined) refuseNonJson(theirs, "");
  const walk = new MergeWalk(settingsOf(options));
  const value = walkOrRefuse(walk, base, ours, theirs);
  // Only a strategy's removal can delete the root, and the walk refuses that.
  if (value === ABSENT) throw new ChorusError("INTERNAL", "the merge removed the root");
  return { value, clean: walk.clean, resolved: walk.resolved, conflicts: walk.conflicts };
}

// The walk recurses once per level, so a `maxDepth` beyond what the engine's stack holds (about
// a thousand levels) could end in a stack overflow; that is reported as TOO_DEEP where the walk
// was, never as a stray RangeError. V8 and JavaScriptCore both word it this way.
function walkOrRefuse(walk: MergeWalk, base: JsonValue, ours: JsonValue, theirs: JsonValue) {
  try {
    return walk.at(base, ours, theirs);
  } catch (error) {
    if (!(error instanceof RangeError && /call stack/i.test(error.message))) throw error;
    throw new ChorusError("TOO_DEEP", "nesting exceeds what the merge can walk", {
      path: walk.path(),
      cause: error,
    });
  }
}

// Resolves the options once per merge. Most merges name no rules and no strategy: they skip
// compiling an empty rule list, so a 1 KB merge does not pay for setup it never uses.
function settingsOf(options: MergeOptions): WalkSettings {
  const registry = options.registry ?? defaultStrategies;
  const fallback = registry.get(options.defaultStrategy ?? "reject");
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const writers = writersOf(options);
  if (options.rules === undefined || options.rules.length === 0) {
    return {
      maxDepth,
      match: undefined,
      fallback,
      offersAgreements: fallback.settlesAgreements,
      writers,
    };
  }
  const rules = options.rules.map((rule) => ({ ...rule, use: registry.get(rule.strategy) }));
  return {
    maxDepth,
    match: compilePathRules(rules),
    fallback,
    offersAgreements:
      fallback.settlesAgreements || rules.some((rule) => rule.use.settlesAgreements),
    writers,
  };
}

// Copies only the writer fields that are set, so strategies see exactly what the caller gave.
function writersOf(options: MergeOptions): WriterInfo {
  const writers: WriterInfo = {};
  if (options.oursTimestamp !== undefined) writers.oursTimestamp = options.oursTimestamp;
  if (options.theirsTimestamp !== undefined) writers.theirsTimestamp = options.theirsTimestamp;
  if (options.oursAuthor !== undefined) writers.oursAuthor = options.oursAuthor;
  if (options.theirsAuthor !== undefined) writers.theirsAuthor = options.theirsAuthor;
  return writers;
}

import * as v from "valibot";
import { ChorusError } from "./errors.ts";
import { parsePointer } from "./pointer.ts";

/**
 * Names the merge strategy for conflicts whose path matches a pointer glob: a JSON Pointer in
 * which a token that is exactly `*` matches any one token and a token that is exactly `**`
 * matches any number of tokens, none included. Other tokens match literally (so `a*` is the
 * name "a*"), which leaves no way to match a name that is exactly `*` or `**` literally.
 *
 * @example
 * v.parse(PathRule, { path: "/counters/*", strategy: "sum" });
 */
export const PathRule = v.object({ path: v.string(), strategy: v.string() });

/** Names the merge strategy for conflicts whose path matches a pointer glob. */
export type PathRule = v.InferOutput<typeof PathRule>;

// A parsed glob: literal tokens, and the two wildcards as symbols so no name can collide.
const ONE = Symbol("*");
const ANY = Symbol("**");
type GlobToken = string | typeof ONE | typeof ANY;

/**
 * Parses a pointer glob into tokens.
 * @throws ChorusError `INVALID_POINTER` when the glob is not a JSON Pointer
 */
function parseGlob(glob: string): GlobToken[] {
  return parsePointer(glob).map((token) => (token === "*" ? ONE : token === "**" ? ANY : token));
}

// Wildcard matching with one backtrack point, as for `*` in file globs: when a later token
// fails, the most recent `**` swallows one more token and matching resumes after it. Each
// `**` only ever moves forward, so this is O(glob × path) at worst.
function matchTokens(glob: readonly GlobToken[], tokens: readonly string[]): boolean {
  let g = 0;
  let t = 0;
  let starG = -1;
  let starT = 0;
  while (t < tokens.length) {
    const token = glob[g];
    if (token === ANY) {
      starG = g++;
      starT = t;
    } else if (g < glob.length && (token === ONE || token === tokens[t])) {
      g++;
      t++;
    } else if (starG >= 0) {
      g = starG + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (glob[g] === ANY) g++;
  return g === glob.length;
}

/**
 * Tests a JSON Pointer against a pointer glob.
 * @param glob a pointer glob (`*` is one token, `**` any number)
 * @param pointer the JSON Pointer to test
 * @returns whether the glob matches the whole pointer
 * @throws ChorusError `INVALID_POINTER` when either is malformed
 * @example
 * matchPointerGlob("/tasks/*", "/tasks/t1"); // true
 * matchPointerGlob("/tasks/*", "/tasks/t1/status"); // false
 * matchPointerGlob("/config/**", "/config"); // true
 */
export function matchPointerGlob(glob: string, pointer: string): boolean {
  return matchTokens(parseGlob(glob), parsePointer(pointer));
}

/** Finds the first rule whose glob matches a path given as unescaped tokens. */
export type PathRuleMatcher<R extends PathRule = PathRule> = (
  tokens: readonly string[],
) => R | undefined;

/**
 * Compiles rules once for many lookups; the first rule in order whose glob matches wins, so put
 * specific rules before general ones.
 * @param rules the rules, in priority order (extra fields are kept on the rule returned)
 * @returns a matcher returning the first matching rule, or `undefined`
 * @throws ChorusError `INVALID_POINTER` naming the bad glob as `path` and its index as `details.rule`
 * @example
 * const match = compilePathRules([{ path: "/counters/**", strategy: "sum" }]);
 * match(["counters", "views"]); // { path: "/counters/**", strategy: "sum" }
 */
export function compilePathRules<R extends PathRule>(rules: readonly R[]): PathRuleMatcher<R> {
  const compiled = rules.map((rule, index) => {
    try {
      return { rule, glob: parseGlob(rule.path) };
    } catch (error) {
      if (!(error instanceof ChorusError)) throw error;
      throw new ChorusError("INVALID_POINTER", `merge rule ${index}: ${error.message}`, {
        path: String(rule.path),
        details: { rule: index },
      });
    }
  });
  return (tokens) => compiled.find(({ glob }) => matchTokens(glob, tokens))?.rule;
}

/** Tells whether a change at a path (as unescaped tokens) concerns any of some pointer globs. */
export type PathFilter = (tokens: readonly string[]) => boolean;

/**
 * Compiles pointer globs (the syntax of {@link PathRule}) into a filter for changes: a change at
 * a path concerns a glob when the glob matches the path, one of its ancestors (the change is
 * inside a watched subtree), or some path below it (the change replaces a subtree that holds a
 * watched path, as adding a whole task holds its status).
 * @param globs the pointer globs
 * @returns the filter
 * @throws ChorusError `INVALID_POINTER` naming the bad glob as `path` and its index as `details.glob`
 * @example
 * const concerns = compilePathFilter(["/tasks/*", "/status"]);
 * concerns(["tasks", "t1", "status"]); // true: inside task t1
 * concerns(["tasks"]); // true: all tasks, t1 included
 * concerns(["agents", "a1"]); // false
 */
export function compilePathFilter(globs: readonly string[]): PathFilter {
  const compiled = globs.map((glob, index) => {
    try {
      return parseGlob(glob);
    } catch (error) {
      if (!(error instanceof ChorusError)) throw error;
      throw new ChorusError("INVALID_POINTER", `glob ${index}: ${error.message}`, {
        path: glob,
        details: { glob: index },
      });
    }
  });
  return (tokens) =>
    compiled.some((glob) => reachesBelow(glob, tokens) || matchesAncestor(glob, tokens));
}

// Whether the glob matches `tokens` or a path that extends them: walk both while they agree; a
// `**` can swallow whatever of `tokens` is left, and whatever of the glob is left can always be
// instantiated (literals as themselves, `*` as any token, `**` as none).
function reachesBelow(glob: readonly GlobToken[], tokens: readonly string[]): boolean {
  for (let t = 0; t < tokens.length; t++) {
    const token = glob[t];
    if (token === ANY) return true;
    if (token === undefined || (token !== ONE && token !== tokens[t])) return false;
  }
  return true;
}

function matchesAncestor(glob: readonly GlobToken[], tokens: readonly string[]): boolean {
  for (let length = 0; length < tokens.length; length++) {
    if (matchTokens(glob, tokens.slice(0, length))) return true;
  }
  return false;
}

import { deepEqual, type JsonValue } from "./json.ts";
import { compilePathFilter } from "./path-rules.ts";
import { parsePointer } from "./pointer.ts";
import type { RuleWhen } from "./schemas/pattern-rule.ts";

/** What a rule is tested against: one version's patch and the state it holds. */
export interface RuleSubject {
  /** the version's JSON Patch from its first parent (only `path` and `from` are read) */
  patch: readonly { path: string; from?: string }[];
  /** the state the version holds; read unless the test is `changed` */
  state?: JsonValue;
}

/**
 * @param when a rule's condition
 * @returns whether testing it needs the version's state (every test but `changed` does)
 */
export function ruleNeedsState(when: RuleWhen): boolean {
  return when.test !== "changed";
}

/**
 * Tests a rule's condition against a version. A rule fires only for a version that changed
 * something under its glob (an operation at a match, inside one, or replacing a subtree that holds
 * one); then `changed` holds, and `exists`, `equals` and `in` hold when a changed match's value
 * passes, or, with `every`, when every match in the state passes and there is one.
 * @param when the condition
 * @param subject the version's patch and state
 * @returns whether the rule fires for the version
 * @example
 * const when = { path: "/tasks/*\/status", test: "equals", value: "completed", every: true };
 * ruleFires(when, { patch: [{ op: "replace", path: "/tasks/t2/status", value: "completed" }], state });
 */
export function ruleFires(when: RuleWhen, subject: RuleSubject): boolean {
  const concerns = compilePathFilter([when.path]);
  const touched = subject.patch
    .flatMap((op) => (op.from === undefined ? [op.path] : [op.path, op.from]))
    .map(parsePointer)
    .filter((tokens) => concerns(tokens));
  if (touched.length === 0) return false;
  if (when.test === "changed") return true;
  const matches = valuesAt(subject.state ?? null, parsePointer(when.path));
  const passes = (value: JsonValue) => holds(when, value);
  if (when.every === true) return matches.length > 0 && matches.every((m) => passes(m.value));
  return matches.some(
    (match) => touched.some((tokens) => related(tokens, match.tokens)) && passes(match.value),
  );
}

function holds(when: RuleWhen, value: JsonValue): boolean {
  if (when.test === "equals") return deepEqual(value, when.value as JsonValue);
  if (when.test === "in") {
    return (
      Array.isArray(when.value) && when.value.some((item) => deepEqual(value, item as JsonValue))
    );
  }
  return true;
}

// One path is the other or inside it.
function related(a: readonly string[], b: readonly string[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A value in the state and where it is. */
interface Match {
  tokens: string[];
  value: JsonValue;
}

/**
 * Every value in `state` whose path a glob matches (`*` one token, `**` any number, none
 * included), each once.
 */
function valuesAt(state: JsonValue, glob: readonly string[]): Match[] {
  const found = new Map<string, Match>();
  const walk = (value: JsonValue, at: number, tokens: string[]) => {
    if (at === glob.length) {
      found.set(JSON.stringify(tokens), { tokens, value });
      return;
    }
    const token = glob[at];
    if (token === "**") {
      walk(value, at + 1, tokens);
      for (const [key, child] of children(value)) walk(child, at, [...tokens, key]);
      return;
    }
    for (const [key, child] of children(value)) {
      if (token === "*" || token === key) walk(child, at + 1, [...tokens, key]);
    }
  };
  walk(state, 0, []);
  return [...found.values()];
}

function children(value: JsonValue): [string, JsonValue][] {
  if (Array.isArray(value)) return value.map((item, index) => [String(index), item]);
  if (value !== null && typeof value === "object") return Object.entries(value);
  return [];
}

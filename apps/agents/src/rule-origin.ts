/** How long a chain of rule commits may grow: a rule fired by the commit of this depth is skipped. */
export const MAX_CHAIN_DEPTH = 5;

/** Which rule made a commit, and at what depth of its chain. */
export interface RuleOrigin {
  ruleId: string;
  depth: number;
}

const MARK = /^pattern-bridge: rule (\S+) for version \d+ \(depth (\d+)\)$/;

/**
 * The change description of a rule's commit: it names the rule and the chain depth, so the
 * bridge knows its own commits when they come back as changes.
 * @returns the description
 */
export function originDescription(ruleId: string, version: number, depth: number): string {
  return `pattern-bridge: rule ${ruleId} for version ${version} (depth ${depth})`;
}

/**
 * @param description a change description of one of the bridge's own commits
 * @returns the rule and depth it names, or undefined when it names none
 */
export function parseOrigin(description: string): RuleOrigin | undefined {
  const match = MARK.exec(description);
  if (match === null) return undefined;
  return { ruleId: String(match[1]), depth: Number(match[2]) };
}

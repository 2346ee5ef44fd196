import fc from "fast-check";
import type { VersionNode } from "../version-graph.ts";

/**
 * @param id the version's id
 * @param version its number
 * @param parents its parents' ids
 * @returns a version node with a placeholder checksum
 */
export function node(id: string, version: number, parents: string[] = []): VersionNode {
  return { id, version, parents, checksum: "0".repeat(64) };
}

/**
 * Random version graphs with merges: version `v<i>` has number `i + 1` and up to three parents
 * among the versions before it, so numbering is monotonic and there are no cycles.
 */
export const versionDag = fc
  .array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: 1, maxLength: 40 })
  .map((choices) => {
    const versions = new Map<string, VersionNode>();
    choices.forEach((picks, i) => {
      const parents = i === 0 ? [] : [...new Set(picks.map((pick) => `v${pick % i}`))];
      versions.set(`v${i}`, node(`v${i}`, i + 1, parents));
    });
    return versions;
  });

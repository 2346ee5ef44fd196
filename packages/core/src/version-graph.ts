import { ChorusError } from "./errors.ts";
import type { StateVersion } from "./schemas/state-version.ts";

/** What the graph functions need of a version: its id, number, parents and checksum. */
export type VersionNode = Pick<StateVersion, "id" | "version" | "checksum"> & {
  readonly parents: readonly string[];
  /** when given, versions are numbered per workflow and parents must share it */
  readonly workflowId?: string;
};

/** Finds versions by id: a map, or a function (e.g. over a storage cache). */
export type VersionLookup<T extends VersionNode = VersionNode> =
  | ReadonlyMap<string, T>
  | ((id: string) => T | undefined);

function finder<T extends VersionNode>(versions: VersionLookup<T>): (id: string) => T | undefined {
  return typeof versions === "function" ? versions : (id) => versions.get(id);
}

function mustFind<T extends VersionNode>(find: (id: string) => T | undefined, id: string): T {
  const found = find(id);
  if (found === undefined) throw new ChorusError("NOT_FOUND", `no version "${id}"`);
  return found;
}

/**
 * Collects every version a version descends from, without recursion. A parent that cannot be
 * found (archived, or never stored) is included, but what lies beyond it is not.
 * @param versions the versions, by id
 * @param id the version to start from
 * @returns the ids of its ancestors, not including itself
 * @throws ChorusError `NOT_FOUND` when `id` itself is unknown
 * @example
 * ancestors(new Map([["v1", v1], ["v2", v2]]), "v2"); // Set { "v1" }
 */
export function ancestors<T extends VersionNode>(
  versions: VersionLookup<T>,
  id: string,
): Set<string> {
  const find = finder(versions);
  const found = new Set<string>();
  const queue = [...mustFind(find, id).parents];
  for (let i = 0; i < queue.length; i++) {
    const next = queue[i] as string;
    if (found.has(next)) continue;
    found.add(next);
    const version = find(next);
    if (version !== undefined) queue.push(...version.parents);
  }
  found.delete(id);
  return found;
}

/**
 * Finds the best common ancestors of two versions: the versions both descend from (each counts
 * as its own ancestor) that no other common ancestor descends from. There are several only after
 * criss-cross merges.
 * @param versions the versions, by id
 * @param a one version
 * @param b another
 * @returns their ids, highest version number first (ties by id, unknown versions last)
 * @throws ChorusError `NOT_FOUND` when `a` or `b` is unknown
 */
export function mergeBases<T extends VersionNode>(
  versions: VersionLookup<T>,
  a: string,
  b: string,
): string[] {
  const find = finder(versions);
  mustFind(find, b);
  const fromA = ancestors(find, a).add(a);
  // Walk up from b, stopping at common ancestors: a best one is always reached this way, since
  // a common ancestor on the path to it would descend from it.
  const candidates = new Set<string>();
  const seen = new Set<string>([b]);
  const queue = [b];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i] as string;
    if (fromA.has(id)) {
      candidates.add(id);
      continue;
    }
    for (const parent of find(id)?.parents ?? []) {
      if (!seen.has(parent)) {
        seen.add(parent);
        queue.push(parent);
      }
    }
  }
  // A candidate another candidate descends from is common but not best.
  const below = new Set<string>();
  const pending = [...candidates].flatMap((id) => find(id)?.parents ?? []);
  for (let i = 0; i < pending.length; i++) {
    const id = pending[i] as string;
    if (below.has(id)) continue;
    below.add(id);
    pending.push(...(find(id)?.parents ?? []));
  }
  const best = [...candidates].filter((id) => !below.has(id));
  // An ancestor that cannot be found (archived) has no known number, so it sorts last.
  const numberOf = (id: string): number => find(id)?.version ?? Number.NEGATIVE_INFINITY;
  return best.sort((x, y) => numberOf(y) - numberOf(x) || (x < y ? -1 : x > y ? 1 : 0));
}

/**
 * Finds the version to use as the base of a three-way merge of two versions: their lowest
 * common ancestor in the version graph, merges included. After criss-cross merges, where there
 * are several, it picks the one with the highest version number (then the lowest id), so every
 * replica picks the same one.
 * @param versions the versions, by id
 * @param a one version
 * @param b another (the result does not depend on the order)
 * @returns the base's id, `a` itself when `b` descends from `a`, or `undefined` when the two
 *   share no history
 * @throws ChorusError `NOT_FOUND` when `a` or `b` is unknown
 * @example
 * // v1 ← v2 ← v3 and v1 ← v2b
 * mergeBase(versions, "v3", "v2b"); // "v1"
 */
export function mergeBase<T extends VersionNode>(
  versions: VersionLookup<T>,
  a: string,
  b: string,
): string | undefined {
  return mergeBases(versions, a, b)[0];
}

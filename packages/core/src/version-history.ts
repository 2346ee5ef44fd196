import type { VersionNode } from "./version-graph.ts";

/** Why a version fails the integrity check. */
export type HistoryProblemCode =
  /** two entries share an id */
  | "DUPLICATE_ID"
  /** two versions of one workflow share a number */
  | "DUPLICATE_VERSION"
  /** a parent is not among the versions */
  | "MISSING_PARENT"
  /** a parent belongs to another workflow */
  | "FOREIGN_PARENT"
  /** a version's number is not above its parent's (which every cycle has somewhere) */
  | "NON_MONOTONIC"
  /** the recomputed checksum differs from the stored one */
  | "CHECKSUM_MISMATCH"
  /** the checksum could not be recomputed */
  | "UNREADABLE";

/** One problem with one version. */
export interface HistoryProblem {
  versionId: string;
  version?: number;
  /** the parent concerned, for parent problems */
  parentId?: string;
  code: HistoryProblemCode;
  problem: string;
}

/** The outcome of {@link checkHistory}. */
export interface HistoryReport {
  ok: boolean;
  /** how many versions were checked */
  checked: number;
  problems: HistoryProblem[];
}

/** Options for {@link checkHistory}. */
export interface CheckHistoryOptions<T extends VersionNode> {
  /** recomputes a version's checksum (typically `checksum()` of its stored state) */
  recompute?: (version: T) => Promise<string>;
  /** how many recomputations run at once; default 8 */
  concurrency?: number;
}

/**
 * Checks the integrity of a version history without recursion: ids are unique, version numbers
 * are unique per workflow and above their parents', parents exist (in the same workflow), and,
 * when `recompute` is given, every checksum recomputes. Every problem is reported, not just the
 * first.
 * @param versions the versions to check, in any order
 * @param options `recompute` and its `concurrency`
 * @returns whether the history is sound, how many versions were checked, and every problem found
 * @example
 * const report = await checkHistory(versions, { recompute: async (v) => checksum(await load(v.id)) });
 * if (!report.ok) throw new ChorusError("INTEGRITY_FAILED", "history is damaged", { details: report });
 */
export async function checkHistory<T extends VersionNode>(
  versions: Iterable<T>,
  options: CheckHistoryOptions<T> = {},
): Promise<HistoryReport> {
  const list = [...versions];
  const problems = checkStructure(list);
  if (options.recompute !== undefined) {
    problems.push(...(await checkChecksums(list, options.recompute, options.concurrency ?? 8)));
  }
  return { ok: problems.length === 0, checked: list.length, problems };
}

function problemAt(
  node: VersionNode,
  code: HistoryProblemCode,
  problem: string,
  parentId?: string,
): HistoryProblem {
  const found: HistoryProblem = { versionId: node.id, version: node.version, code, problem };
  if (parentId !== undefined) found.parentId = parentId;
  return found;
}

function checkStructure(list: readonly VersionNode[]): HistoryProblem[] {
  const problems: HistoryProblem[] = [];
  const byId = new Map<string, VersionNode>();
  const numbers = new Map<string, string>();
  for (const node of list) {
    if (byId.has(node.id)) {
      problems.push(problemAt(node, "DUPLICATE_ID", `id "${node.id}" appears more than once`));
      continue;
    }
    byId.set(node.id, node);
    // The workflow id cannot contain a NUL, so the pair is unambiguous as one key.
    const key = `${node.workflowId ?? ""}\u0000${node.version}`;
    const holder = numbers.get(key);
    if (holder === undefined) numbers.set(key, node.id);
    else {
      const problem = `version ${node.version} is also numbered on "${holder}"`;
      problems.push(problemAt(node, "DUPLICATE_VERSION", problem));
    }
  }
  for (const node of byId.values()) {
    for (const parentId of node.parents) {
      const parent = byId.get(parentId);
      if (parent === undefined) {
        problems.push(
          problemAt(node, "MISSING_PARENT", `parent "${parentId}" is missing`, parentId),
        );
      } else if (parent.workflowId !== node.workflowId) {
        const problem = `parent "${parentId}" belongs to workflow "${parent.workflowId}"`;
        problems.push(problemAt(node, "FOREIGN_PARENT", problem, parentId));
      } else if (parent.version >= node.version) {
        const problem = `version ${node.version} is not above its parent "${parentId}" (${parent.version})`;
        problems.push(problemAt(node, "NON_MONOTONIC", problem, parentId));
      }
    }
  }
  return problems;
}

async function checkChecksums<T extends VersionNode>(
  list: readonly T[],
  recompute: (version: T) => Promise<string>,
  concurrency: number,
): Promise<HistoryProblem[]> {
  const found: Array<HistoryProblem | undefined> = new Array(list.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < list.length; i = next++) {
      const node = list[i] as T;
      try {
        const actual = await recompute(node);
        if (actual !== node.checksum) {
          const problem = `checksum is ${actual}, but ${node.checksum} is stored`;
          found[i] = problemAt(node, "CHECKSUM_MISMATCH", problem);
        }
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        found[i] = problemAt(node, "UNREADABLE", `checksum could not be recomputed: ${reason}`);
      }
    }
  };
  const workers = Math.max(1, Math.min(concurrency, list.length));
  await Promise.all(Array.from({ length: workers }, worker));
  // Reported in input order whatever order the recomputations finished in.
  return found.filter((problem) => problem !== undefined);
}

import type { ElementId } from "./merge-arrays.ts";
import type { ConflictSite } from "./merge-settle.ts";
import { formatPointer } from "./pointer.ts";
import type { WriterInfo } from "./strategies.ts";

/**
 * Where a three-way merge is, as one live object the walk moves rather than a fresh site per
 * check: most checks pass, and formatting their pointer up front cost more than the check on a
 * 1 KB document. Its pointer is built only when read (a clean path, a conflict, an error), so
 * a reader must read it at once; every check and strategy runs synchronously, and strategies
 * get a copy of the tokens, never this object.
 * @example
 * const here = new MergePosition(512, {});
 * here.tokens.push("tasks", "0");
 * here.path; // "/tasks/0"
 */
export class MergePosition implements ConflictSite {
  /** The path as unescaped tokens; its length is the depth. */
  readonly tokens: string[] = [];
  /** The id of the innermost id-keyed array element being merged. */
  id: ElementId | undefined = undefined;

  /**
   * @param maxDepth the merge's depth limit
   * @param writers who wrote each side and when
   */
  constructor(
    readonly maxDepth: number,
    readonly writers: WriterInfo,
  ) {}

  /** @returns the JSON Pointer of the current path */
  get path(): string {
    return formatPointer(this.tokens);
  }

  /** @returns how many containers lie above the current path */
  get depth(): number {
    return this.tokens.length;
  }
}

import type { WorkflowRecord } from "@chorus/core";

/**
 * Orders strings by Unicode code point, which is the order of their UTF-8 bytes and so the
 * order SQLite's BINARY collation gives `ORDER BY id`. JavaScript's `<` compares UTF-16 code
 * units, which disagrees for characters above U+FFFF; merged pages must match each shard's SQL.
 * @returns negative, zero or positive, like any comparator
 */
export function compareCodePoints(a: string, b: string): number {
  const left = a[Symbol.iterator]();
  const right = b[Symbol.iterator]();
  for (;;) {
    const x = left.next();
    const y = right.next();
    if (x.done || y.done) return (x.done ? 0 : 1) - (y.done ? 0 : 1);
    const difference = (x.value.codePointAt(0) ?? 0) - (y.value.codePointAt(0) ?? 0);
    if (difference !== 0) return difference;
  }
}

/**
 * The listing order: newest `createdAt` first, then `id` descending, as each shard's SQL sorts.
 * @returns negative when `a` comes first
 */
export function newestFirst(
  a: Pick<WorkflowRecord, "createdAt" | "id">,
  b: Pick<WorkflowRecord, "createdAt" | "id">,
): number {
  return b.createdAt - a.createdAt || compareCodePoints(b.id, a.id);
}

// Readable one-line-per-item forms of the API's answers, for people at a terminal: the CLI's
// default there and the demo's output. Scripts get JSON (`--json`, or any output that is no
// terminal), so these forms may change wording; they never carry anything JSON does not.
import type {
  CommitResult,
  Conflict,
  Health,
  JsonPatch,
  Snapshot,
  StateEvent,
  StateVersion,
  WorkflowPage,
  WorkflowRecord,
} from "@chorus/core";
import type { CreatedWorkflow, StateRead } from "./types.ts";

/**
 * A JSON value on one line, cut to `max` characters.
 * @param value any JSON value; `undefined` (a side that is absent) is `—`
 * @param max the longest result; longer text ends in `…`
 * @returns the value's JSON text, shortened
 * @example
 * formatValue("failed"); // '"failed"'
 */
export function formatValue(value: unknown, max = 60): string {
  if (value === undefined) return "—";
  const text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * A time in UTC to the second, the same wherever it is printed.
 * @param ms milliseconds since the epoch
 * @returns e.g. `2026-12-07 09:30:00Z`
 */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")}Z`;
}

/**
 * Rows as aligned columns: each column but the last padded to its widest cell.
 * @param rows the cells of each row
 * @returns one line per row, cells two spaces apart
 */
export function columns(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows.map((row) =>
    row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  "),
  );
}

/**
 * Versions as a log, one line each: number, author, time, description (and the branch when it is
 * not `main`).
 * @param versions as `history` lists them, newest first
 * @returns one line per version
 * @example
 * formatHistory(page.versions); // ["v8  token:lead  2026-12-07 09:30:00Z  Restore snapshot …", …]
 */
export function formatHistory(versions: readonly StateVersion[]): string[] {
  return columns(
    versions.map((version) => [
      `v${version.version}`,
      version.author,
      formatTime(version.timestamp),
      `${version.branch === "main" ? "" : `[${version.branch}] `}${version.changeDescription || "—"}`,
    ]),
  );
}

/**
 * A JSON Patch, one operation a line: the operation, its path, and its value or source.
 * @param patch RFC 6902 operations
 * @returns one line per operation
 * @example
 * formatPatch(diff.patch); // ['replace /tasks/build/status = "failed"']
 */
export function formatPatch(patch: JsonPatch): string[] {
  return patch.map((op) => {
    const what =
      "value" in op ? ` = ${formatValue(op.value)}` : "from" in op ? ` from ${op.from}` : "";
    return `${op.op.padEnd(7)} ${op.path}${what}`;
  });
}

/**
 * What a write did, on one line.
 * @param result a commit, patch, restore, merge or resolution
 * @returns e.g. `v4 (merge; merged cleanly: /tasks/test/status)`; the branch when it is not `main`
 */
export function describeCommit(result: CommitResult): string {
  const notes: string[] = [result.origin];
  if (result.merged.length > 0) notes.push(`merged cleanly: ${result.merged.join(", ")}`);
  if (result.resolved.length > 0) {
    const settled = result.resolved.map((c) => `${c.path} by ${c.strategy}`);
    notes.push(`settled: ${settled.join(", ")}`);
  }
  if (result.replayed) notes.push("replayed, nothing new committed");
  const { version, branch } = result.version;
  return `v${version}${branch === "main" ? "" : ` on ${branch}`} (${notes.join("; ")})`;
}

/**
 * Conflicting paths with both sides, on one line.
 * @param conflicts from a `ConflictError` or a queued conflict
 * @returns e.g. `/tasks/build/status (ours "completed", theirs "failed")`
 */
export function describeConflicts(conflicts: readonly Conflict[]): string {
  return conflicts
    .map((c) => `${c.path} (ours ${formatValue(c.ours)}, theirs ${formatValue(c.theirs)})`)
    .join(", ");
}

/**
 * A page of workflows as a table: id, status, priority, last change, name and tags.
 * @param page as `listWorkflows` returns it
 * @returns one line per workflow, and how to ask for the next page
 */
export function formatWorkflowPage(page: WorkflowPage): string[] {
  if (page.workflows.length === 0) return ["no workflows"];
  const rows = page.workflows.map((w: WorkflowRecord) => [
    w.id,
    w.status,
    w.priority,
    formatTime(w.updatedAt),
    `${w.name}${w.tags.map((tag) => ` #${tag}`).join("")}`,
  ]);
  const more = page.nextCursor === null ? [] : [`more: --cursor ${page.nextCursor}`];
  return [...columns(rows), ...more];
}

/**
 * A new workflow on one line.
 * @param created as `createWorkflow` returns it
 * @returns e.g. `created wf_… "Release 1.4" (pending, normal), v1 on main`
 */
export function describeCreated({ workflow, version }: CreatedWorkflow): string {
  const what = `"${workflow.name}" (${workflow.status}, ${workflow.priority})`;
  return `created ${workflow.id} ${what}, v${version.version} on ${version.branch}`;
}

/**
 * A state read with its version: a heading, then the state as indented JSON.
 * @param read as `getState` returns it
 * @returns the lines to print
 */
export function formatStateRead(read: StateRead): string[] {
  const at = read.path === "" ? "" : ` at ${read.path}`;
  return [
    `v${read.version} on ${read.branch}${at}, by ${read.author} ${formatTime(read.timestamp)}: ${read.changeDescription || "—"}`,
    `checksum ${read.checksum}`,
    JSON.stringify(read.state, null, 2),
  ];
}

/**
 * Snapshots as a table: id, version, time, author and description.
 * @param snapshots as `listSnapshots` returns them
 * @returns one line per snapshot
 */
export function formatSnapshots(snapshots: readonly Snapshot[]): string[] {
  if (snapshots.length === 0) return ["no snapshots"];
  return columns(
    snapshots.map((s) => [
      s.id,
      `v${s.version}`,
      formatTime(s.createdAt),
      s.author,
      s.description || "—",
    ]),
  );
}

/**
 * The stack's health: the verdict, then each component with its latency or error.
 * @param health as `health()` returns it
 * @returns the lines to print
 */
export function formatHealth(health: Health): string[] {
  const rows = Object.entries(health.components).map(([name, c]) => [
    name,
    c.status,
    c.status === "up" ? `${c.latencyMs} ms` : (c.error ?? ""),
  ]);
  return [`${health.status}, gateway version ${health.version}`, ...columns(rows)];
}

/**
 * A change stream's event on one line: version (and branch when not `main`), author, time,
 * description, and its first operation with how many follow.
 * @param event as `subscribe` yields it
 * @returns e.g. `v12  token:planner  2026-12-07 09:30:05Z  claim t7  replace /tasks/t7/status = "running" (+1 more)`
 */
export function describeEvent(event: StateEvent): string {
  const [first] = formatPatch(event.patch.slice(0, 1));
  const more = event.patch.length > 1 ? ` (+${event.patch.length - 1} more)` : "";
  const change = first === undefined ? "no changes" : `${first.replace(/ +/, " ")}${more}`;
  return [
    `v${event.version}${event.branch === "main" ? "" : ` [${event.branch}]`}`,
    event.author,
    formatTime(event.timestamp),
    event.changeDescription || "—",
    change,
  ].join("  ");
}

import * as v from "valibot";

/**
 * How a version came about, as the state manager records it and a commit answers it:
 * - `create`: version 1 of a new workflow
 * - `fast-forward`: a write based on the branch head, or a branch merge whose target had not moved
 * - `merge`: a three-way merge, of a write from an older base or of one branch into another
 * - `last-writer-wins`: a write that named no base, laid over the head (the workflow's
 *   `unbasedWrites` policy; not the strategy of the same name, which settles one conflict)
 * - `restore`: a snapshot's state committed again
 * - `resolution`: the merge version that resolves a queued conflict
 *
 * A closed set: strategies settle single conflicts inside a `merge` and are named in
 * `resolved[].strategy`, never here, so registering a strategy adds no origin.
 */
export const CommitOrigin = v.picklist([
  "create",
  "fast-forward",
  "merge",
  "last-writer-wins",
  "restore",
  "resolution",
]);

/** How a version came about (see the schema for each value). */
export type CommitOrigin = v.InferOutput<typeof CommitOrigin>;

import * as v from "valibot";
import { BranchName } from "./branch-name.ts";
import { Checksum, Id, Timestamp, VersionNumber } from "./fields.ts";

/**
 * One committed version of a workflow's state (the state itself is stored apart). Versions form a
 * graph: a commit has one parent, a merge two or more, the first version none.
 */
export const StateVersion = v.pipe(
  v.object({
    id: Id,
    workflowId: Id,
    /** 1 for the first version, and always above every parent's number */
    version: VersionNumber,
    branch: BranchName,
    /** ids of the versions this one was made from */
    parents: v.pipe(
      v.array(Id),
      v.check((ids) => new Set(ids).size === ids.length, "Invalid parents: an id is repeated"),
    ),
    timestamp: Timestamp,
    author: Id,
    changeDescription: v.pipe(v.string(), v.maxLength(1000)),
    /** `checksum()` of the state */
    checksum: Checksum,
  }),
  v.forward(
    v.partialCheck(
      [["id"], ["parents"]],
      (input) => !input.parents.includes(input.id),
      "Invalid parents: a version cannot be its own parent",
    ),
    ["parents"],
  ),
);

/** One committed version of a workflow's state. */
export type StateVersion = v.InferOutput<typeof StateVersion>;

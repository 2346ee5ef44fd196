import * as v from "valibot";
import { BranchName } from "./branch-name.ts";
import { Id, Timestamp, VersionNumber } from "./fields.ts";

/** A branch: a named head in a workflow's version graph. */
export const Branch = v.object({
  name: BranchName,
  /** the version the branch points at */
  head: VersionNumber,
  /** the version it was created from; `null` for `main` */
  createdFrom: v.nullable(VersionNumber),
  createdAt: Timestamp,
  author: Id,
});

/** A branch: a named head in a workflow's version graph. */
export type Branch = v.InferOutput<typeof Branch>;

/** Every branch of a workflow with its head, `main` first. */
export const BranchList = v.object({ branches: v.array(Branch) });

/** Every branch of a workflow with its head. */
export type BranchList = v.InferOutput<typeof BranchList>;

import { BranchName, Id, TokenId } from "@chorus/core";
import * as v from "valibot";

/**
 * A whole number in a query parameter: digits only, a safe integer, at least `min`. Negative,
 * fractional, exponent (`1e308`) and non-numeric values are refused naming the parameter.
 * @param min the smallest value accepted
 * @returns the schema, whose output is a number
 */
export function wholeNumber(min: number) {
  return v.pipe(
    v.string(),
    v.regex(/^\d+$/, `Invalid number: expected a whole number of at least ${min}`),
    v.transform(Number),
    v.safeInteger("Invalid number: it is too large"),
    v.minValue(min, `Invalid number: expected a whole number of at least ${min}`),
  );
}

/** A version number in a query parameter. */
export const VersionParam = wholeNumber(1);

/** A page size in a query parameter (1–1000; the callee may cap it lower). */
export const LimitParam = v.pipe(wholeNumber(1), v.maxValue(1000, "Invalid limit: at most 1000"));

/** A workflow id as it appears in a path. */
export const WorkflowIdParam = v.pipe(Id, v.maxLength(128));

/** `{id}` of every workflow route. */
export const WorkflowPath = v.object({ id: WorkflowIdParam });

/** `{id}` and `{name}` of a branch route; a name with `/` is sent percent-encoded. */
export const BranchPath = v.object({ id: WorkflowIdParam, name: BranchName });

/** `{id}` and `{cid}` of a conflict route. */
export const ConflictPath = v.object({ id: WorkflowIdParam, cid: Id });

/** `{id}` and `{rid}` of a review route. */
export const ReviewPath = v.object({ id: WorkflowIdParam, rid: v.pipe(Id, v.maxLength(128)) });

/** `{tokenId}` of a token route. */
export const TokenPath = v.object({ tokenId: TokenId });

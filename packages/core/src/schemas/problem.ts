import * as v from "valibot";
import { Conflict } from "../conflict.ts";
import { JsonPointer } from "../json-patch.ts";
import { BranchName } from "./branch-name.ts";
import { Checksum, Id, VersionNumber } from "./fields.ts";
import { ValidationIssue } from "./validation-issue.ts";

/**
 * An error answer of the REST API (RFC 9457 `application/problem+json`). `code` is one of core's
 * error codes or one of the gateway's own about HTTP (`UNAUTHENTICATED`, `ROUTE_NOT_FOUND`, …);
 * a 409 `CONFLICT` adds the queued conflict, a 412 `PRECONDITION_FAILED` the current head, a 409
 * `REVIEW_REQUIRED` the branch and the protected paths.
 */
export const Problem = v.object({
  /** `urn:chorus:problem:<code in kebab case>` */
  type: v.string(),
  title: v.string(),
  status: v.pipe(v.number(), v.safeInteger(), v.minValue(400), v.maxValue(599)),
  detail: v.string(),
  code: v.pipe(v.string(), v.regex(/^[A-Z][A-Z_]*$/, "Invalid code: expected UPPER_SNAKE_CASE")),
  /** every issue with its path; empty when the problem concerns no one field */
  errors: v.array(ValidationIssue),
  /** on a 409 `CONFLICT`: the queued conflict to resolve */
  conflictId: v.exactOptional(Id),
  /** on a 409 `CONFLICT`: the branch the conflict is queued on; on `REVIEW_REQUIRED` the protected one */
  branch: v.exactOptional(BranchName),
  /** on a 409 `CONFLICT`: the version both sides started from */
  base: v.exactOptional(VersionNumber),
  /** on a 409 `CONFLICT` and a 412: the branch head */
  head: v.exactOptional(VersionNumber),
  /** on a 409 `CONFLICT`: every conflicting path with both sides */
  conflicts: v.exactOptional(v.array(Conflict)),
  /** on a 412: the head's checksum, to send as `If-Match` after reading it again */
  checksum: v.exactOptional(Checksum),
  /** on a 409 `REVIEW_REQUIRED`: the protected paths the write would change */
  gatedPaths: v.exactOptional(v.array(JsonPointer)),
});

/** An error answer of the REST API (RFC 9457 `application/problem+json`). */
export type Problem = v.InferOutput<typeof Problem>;

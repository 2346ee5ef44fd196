import { BranchName, JsonPatch, JsonPointer, JsonRecord, VersionNumber } from "@chorus/core";
import * as v from "valibot";
import { LimitParam, VersionParam } from "./params.ts";

const ChangeDescription = v.pipe(v.string(), v.maxLength(2000));

/** The body of `POST .../state`: a whole new state. */
export const CommitBody = v.strictObject({
  /** a workflow state is a JSON object (checked in full by the state manager) */
  state: JsonRecord,
  changeDescription: v.optional(ChangeDescription),
  /** the version the state was derived from; an older one is three-way merged */
  baseVersion: v.optional(VersionNumber),
  branch: v.optional(BranchName),
  /** accepted for the seed's clients and ignored: the author is the authenticated identity */
  author: v.optional(v.unknown()),
});

/** The query of `PATCH .../state`, whose body is the bare JSON Patch. */
export const PatchStateQuery = v.object({
  baseVersion: v.optional(VersionParam),
  branch: v.optional(BranchName),
  changeDescription: v.optional(ChangeDescription),
});

/** The body of `PATCH .../state` (RFC 6902, `application/json-patch+json`). */
export const PatchBody = JsonPatch;

/** `If-Match: "<checksum>"`: commit only if the branch head still has this checksum. */
export const IfMatch = v.pipe(
  v.string(),
  v.regex(/^(\*|"[0-9a-f]{64}")$/, 'Invalid If-Match: expected "<checksum>" (quoted) or *'),
  v.transform((tag) => (tag === "*" ? undefined : tag.slice(1, -1))),
);

/** The headers of a commit. */
export const CommitHeaders = v.object({
  "if-match": v.optional(IfMatch),
  /** a retried request with the same key returns the first result instead of committing again */
  "idempotency-key": v.optional(
    v.pipe(v.string(), v.minLength(1), v.maxLength(200), v.regex(/^[\x21-\x7e]+$/, "Invalid key")),
  ),
});

/** The query of `GET .../state`. */
export const GetStateQuery = v.object({
  version: v.optional(VersionParam),
  branch: v.optional(BranchName),
  /** a JSON Pointer (RFC 6901): return only this subtree */
  path: v.optional(JsonPointer),
});

/** The headers of `GET .../state`. */
export const GetStateHeaders = v.object({
  "if-none-match": v.optional(v.pipe(v.string(), v.maxLength(4096))),
});

/** The query of `GET .../history`. */
export const HistoryQuery = v.object({
  limit: v.optional(LimitParam),
  /** the `nextCursor` of the previous page */
  cursor: v.optional(VersionParam),
  branch: v.optional(BranchName),
});

/** The query of `GET .../diff`. */
export const DiffQuery = v.object({ from: VersionParam, to: VersionParam });

import * as v from "valibot";
import { JsonPointer } from "../json-patch.ts";

/**
 * One reason an input does not match a schema, at the JSON Pointer of the offending value: what
 * `validate` reports, what a `VALIDATION_FAILED` error carries in `details.issues`, and what a
 * problem+json answer lists in `errors`.
 */
export const ValidationIssue = v.object({
  /**
   * JSON Pointer (RFC 6901) into the input, `""` for the input itself; at the gateway, into the
   * body, or `/query/<name>`, `/headers/<name>` (lowercase), `/params/<name>`
   */
  path: JsonPointer,
  message: v.string(),
});

/** One reason an input does not match a schema, at the JSON Pointer of the offending value. */
export type ValidationIssue = v.InferOutput<typeof ValidationIssue>;

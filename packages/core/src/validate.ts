import * as v from "valibot";
import { ChorusError } from "./errors.ts";
import { formatPointer } from "./pointer.ts";
import type { ValidationIssue } from "./schemas/validation-issue.ts";

/** The outcome of {@link validate}: the parsed output, or every issue found. */
export type ValidationResult<T> =
  | { success: true; output: T }
  | { success: false; issues: ValidationIssue[] };

/** How a refused input is named in the error {@link validateOrThrow} throws. */
export interface ValidationErrorOptions {
  /** names the input in the message, e.g. `"workflow state"`; default `"input"` */
  what?: string;
  /**
   * the JSON Pointer where the input sits in what the caller sent (`/query`, `/state`), put
   * before every issue's path; default `""`
   */
  at?: string;
}

// valibot's object schemas take an array for an object with no members (an array is an object),
// so an RPC argument `[]` would read as a call with every optional field left out.
const OBJECT_SCHEMAS: ReadonlySet<string> = new Set([
  "object",
  "loose_object",
  "strict_object",
  "object_with_rest",
]);

/**
 * Validates an input against a valibot schema and reports every issue, not just the first,
 * each with the JSON Pointer of the value it concerns. An object schema refuses an array.
 * @param schema any synchronous valibot schema
 * @param input anything, typically a parsed request body
 * @returns the schema's output, or the issues
 * @example
 * validate(v.object({ n: v.number() }), { n: "1" });
 * // { success: false, issues: [{ path: "/n", message: "Invalid type: Expected number but received \"1\"" }] }
 */
export function validate<const TSchema extends v.GenericSchema>(
  schema: TSchema,
  input: unknown,
): ValidationResult<v.InferOutput<TSchema>> {
  if (Array.isArray(input) && OBJECT_SCHEMAS.has(schema.type)) {
    const message = "Invalid type: Expected an object but received an array";
    return { success: false, issues: [{ path: "", message }] };
  }
  const result = v.safeParse(schema, input, { abortEarly: false });
  if (result.success) return { success: true, output: result.output };
  return { success: false, issues: result.issues.map(toValidationIssue) };
}

/**
 * Validates an input at a boundary, where a mismatch is the caller's error: the one way every
 * app checks what it is sent (RPC arguments, request parts, states).
 * @param schema any synchronous valibot schema
 * @param input anything
 * @param options how to name the input, and where it sits in what the caller sent
 * @returns the schema's output
 * @throws ChorusError `VALIDATION_FAILED` (see {@link validationError})
 * @example
 * const query = validateOrThrow(ListQuery, request.query, { what: "query", at: "/query" });
 */
export function validateOrThrow<const TSchema extends v.GenericSchema>(
  schema: TSchema,
  input: unknown,
  options: ValidationErrorOptions = {},
): v.InferOutput<TSchema> {
  const result = validate(schema, input);
  if (result.success) return result.output;
  throw validationError(result.issues, options);
}

/**
 * The error every refused input becomes, for issues found by {@link validate} or by a
 * validator of its own (`validateStateChange`).
 * @param issues what is wrong, each at its path within the input
 * @param options how to name the input, and where it sits in what the caller sent
 * @returns a `VALIDATION_FAILED` error whose `path` is the first issue's and whose
 *   `details.issues` lists every issue, paths read from the caller's root
 * @example
 * const result = validateStateChange(next, touched);
 * if (!result.success) throw validationError(result.issues, { what: "state", at: "/state" });
 */
export function validationError(
  issues: readonly ValidationIssue[],
  options: ValidationErrorOptions = {},
): ChorusError {
  const { what = "input", at = "" } = options;
  const placed = issues.map((issue) => ({ path: at + issue.path, message: issue.message }));
  const first = placed[0] ?? { path: at, message: "invalid" };
  const where = first.path === "" ? "" : ` at ${first.path}`;
  const more = placed.length > 1 ? ` (and ${placed.length - 1} more)` : "";
  return new ChorusError("VALIDATION_FAILED", `invalid ${what}${where}: ${first.message}${more}`, {
    path: first.path,
    details: { issues: placed },
  });
}

/**
 * @param issue a valibot issue
 * @returns it as plain data, its path as a JSON Pointer
 */
export function toValidationIssue(issue: v.BaseIssue<unknown>): ValidationIssue {
  const tokens = (issue.path ?? []).map((item) => String(item.key));
  return { path: formatPointer(tokens), message: issue.message };
}

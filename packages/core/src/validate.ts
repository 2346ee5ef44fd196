import * as v from "valibot";
import { ChorusError } from "./errors.ts";
import { formatPointer } from "./pointer.ts";
import type { ValidationIssue } from "./schemas/validation-issue.ts";

/** The outcome of {@link validate}: the parsed output, or every issue found. */
export type ValidationResult<T> =
  | { success: true; output: T }
  | { success: false; issues: ValidationIssue[] };

/**
 * Validates an input against a valibot schema and reports every issue, not just the first,
 * each with the JSON Pointer of the value it concerns.
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
  const result = v.safeParse(schema, input, { abortEarly: false });
  if (result.success) return { success: true, output: result.output };
  return { success: false, issues: result.issues.map(toValidationIssue) };
}

/**
 * Validates an input at a boundary, where a mismatch is the caller's error.
 * @param schema any synchronous valibot schema
 * @param input anything
 * @param what names the input in the error message, e.g. "workflow state"
 * @returns the schema's output
 * @throws ChorusError `VALIDATION_FAILED` with the first issue's `path` and every issue in
 *   `details.issues`
 * @example
 * const state = validateOrThrow(WorkflowState, body, "workflow state");
 */
export function validateOrThrow<const TSchema extends v.GenericSchema>(
  schema: TSchema,
  input: unknown,
  what = "input",
): v.InferOutput<TSchema> {
  const result = validate(schema, input);
  if (result.success) return result.output;
  const { issues } = result;
  const first = issues[0] ?? { path: "", message: "invalid" };
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  const where = first.path === "" ? "" : ` at ${first.path}`;
  throw new ChorusError("VALIDATION_FAILED", `invalid ${what}${where}: ${first.message}${more}`, {
    path: first.path,
    details: { issues },
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

import { ChorusError, validate } from "@chorus/core";
import type * as v from "valibot";

/**
 * Validates one part of a request, reporting every issue at its JSON Pointer under `prefix`
 * (`/query/limit`, `/headers/if-match`; `""` for the body, whose pointers are its own).
 * @param schema the part's schema
 * @param input the raw part
 * @param prefix where the part sits, for issue paths
 * @returns the parsed part
 * @throws ChorusError `VALIDATION_FAILED` (422) listing every issue
 */
export function parsePart<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
  prefix: string,
): v.InferOutput<S> {
  const result = validate(schema, input);
  if (result.success) return result.output;
  const issues = result.issues.map((issue) => ({ ...issue, path: prefix + issue.path }));
  const first = issues[0] ?? { path: prefix, message: "invalid" };
  const where = first.path === "" ? "the body" : first.path;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  throw new ChorusError("VALIDATION_FAILED", `${where}: ${first.message}${more}`, {
    path: first.path,
    details: { issues },
  });
}

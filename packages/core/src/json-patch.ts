import * as v from "valibot";
import { ChorusError } from "./errors.ts";
import { assertJson, type JsonValue } from "./json.ts";
import { escapeToken } from "./pointer.ts";

// RFC 6901 §3: empty, or "/"-prefixed tokens in which "~" is always escaped as ~0 or ~1.
const POINTER_PATTERN = /^(\/([^~/]|~[01])*)*$/;

/** A JSON Pointer string (RFC 6901), e.g. `/tasks/0/status`; `""` is the whole document. */
export const JsonPointer = v.pipe(
  v.string(),
  v.regex(POINTER_PATTERN, 'Invalid JSON Pointer: expected "" or "/"-separated tokens'),
);

/** Any JSON value, no deeper than the default depth limit. */
export const JsonData = v.custom<JsonValue>(
  (input) => jsonProblem(input) === undefined,
  (issue) => jsonProblem(issue.input) ?? "Invalid JSON",
);

function jsonProblem(input: unknown): string | undefined {
  try {
    assertJson(input);
    return undefined;
  } catch (error) {
    if (!(error instanceof ChorusError)) throw error;
    return error.path ? `${error.message} at ${error.path}` : error.message;
  }
}

/**
 * One JSON Patch operation (RFC 6902 §4), discriminated on `op`. Members an operation does not
 * define are dropped, as §4 says they must be ignored.
 */
export const JsonPatchOperation = v.variant("op", [
  v.object({ op: v.literal("add"), path: JsonPointer, value: JsonData }),
  v.object({ op: v.literal("remove"), path: JsonPointer }),
  v.object({ op: v.literal("replace"), path: JsonPointer, value: JsonData }),
  v.object({ op: v.literal("move"), from: JsonPointer, path: JsonPointer }),
  v.object({ op: v.literal("copy"), from: JsonPointer, path: JsonPointer }),
  v.object({ op: v.literal("test"), path: JsonPointer, value: JsonData }),
]);

/** One JSON Patch operation (RFC 6902 §4). */
export type JsonPatchOperation = v.InferOutput<typeof JsonPatchOperation>;

/** A JSON Patch document (RFC 6902 §3): operations applied in order. */
export const JsonPatch = v.array(JsonPatchOperation);

/** A JSON Patch document (RFC 6902 §3): operations applied in order. */
export type JsonPatch = v.InferOutput<typeof JsonPatch>;

/**
 * Validates untrusted input as a JSON Patch document.
 * @param input anything, typically a parsed request body
 * @returns the patch, with members the operations do not define removed
 * @throws ChorusError `INVALID_PATCH` whose `path` points into the patch at the first issue
 * (e.g. `/3/path`) and whose `details.issues` lists every issue as `{ path, message }`
 * @example
 * parsePatch([{ op: "replace", path: "/status", value: "done" }]);
 */
export function parsePatch(input: unknown): JsonPatch {
  const result = v.safeParse(JsonPatch, input);
  if (result.success) return result.output;
  const issues = result.issues.map((issue) => ({
    path: (issue.path ?? []).map((item) => `/${escapeToken(String(item.key))}`).join(""),
    message: issue.message,
  }));
  const first = issues[0] ?? { path: "", message: "Invalid JSON Patch" };
  const where = first.path === "" ? "the patch" : first.path;
  throw new ChorusError("INVALID_PATCH", `${where}: ${first.message}`, {
    path: first.path,
    details: { issues },
  });
}

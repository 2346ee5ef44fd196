import * as v from "valibot";
import { assertJson, type JsonValue } from "./json.ts";

function isJsonData(input: unknown): boolean {
  try {
    assertJson(input);
    return true;
  } catch {
    return false;
  }
}

// Any JSON value; the check also refuses cycles, NaN and nesting past the default depth limit.
const JsonData = v.custom<JsonValue>(isJsonData, "must be JSON data");

/**
 * A place where both sides of a three-way merge changed the same value differently. A side that
 * is absent (the key or element was deleted, or never existed) is left out, not set to `undefined`.
 * `path` is a JSON Pointer into the merged document; inside an array merged by id, its index
 * token is the element's position in the merged output (or where it would have stood, had it
 * been removed) and `id` is the id of the innermost such element, which stays valid when
 * indexes shift.
 *
 * @example
 * v.parse(Conflict, { path: "/tasks/0/title", id: "t1", base: "a", ours: "b", theirs: "c" });
 */
export const Conflict = v.object({
  path: v.string(),
  id: v.exactOptional(v.union([v.string(), v.number()])),
  base: v.exactOptional(JsonData),
  ours: v.exactOptional(JsonData),
  theirs: v.exactOptional(JsonData),
});

/** A place where both sides of a three-way merge changed the same value differently. */
export type Conflict = v.InferOutput<typeof Conflict>;

/**
 * A {@link Conflict} that a merge strategy settled, with the name of that strategy.
 *
 * @example
 * v.parse(ResolvedConflict, { path: "/views", base: 1, ours: 2, theirs: 3, strategy: "sum" });
 */
export const ResolvedConflict = v.object({ ...Conflict.entries, strategy: v.string() });

/** A {@link Conflict} that a merge strategy settled, with the name of that strategy. */
export type ResolvedConflict = v.InferOutput<typeof ResolvedConflict>;

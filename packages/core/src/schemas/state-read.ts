import * as v from "valibot";
import { JsonData, JsonPointer } from "../json-patch.ts";
import { StateVersion } from "./state-version.ts";

/**
 * A version of a workflow's state as the REST API answers a read: the version's metadata, the
 * pointer read (`""` for the whole state) and the state or the subtree there.
 */
export const StateRead = v.intersect([
  StateVersion,
  v.object({ path: JsonPointer, state: JsonData }),
]);

/** A version of a workflow's state as the REST API answers a read. */
export type StateRead = v.InferOutput<typeof StateRead>;

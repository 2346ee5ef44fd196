import * as v from "valibot";
import { JsonData, JsonPointer } from "../json-patch.ts";
import { StateVersion } from "./state-version.ts";

/** A version's metadata with its state, or the subtree at `path`: what the state manager reads. */
export const VersionState = v.object({
  version: StateVersion,
  /** the pointer read; `""` for the whole state */
  path: JsonPointer,
  state: JsonData,
});

/** A version's metadata with its state, or the subtree at `path`. */
export type VersionState = v.InferOutput<typeof VersionState>;

/**
 * {@link VersionState} with the state as RFC 8785 canonical JSON text, for a reader that only
 * passes it on; or, when the reader already holds this version, `notModified` and no text.
 */
export const VersionStateText = v.union([
  v.object({
    version: StateVersion,
    path: JsonPointer,
    /** the state as canonical JSON; for a whole state, the text its checksum hashes */
    json: v.string(),
  }),
  v.object({ version: StateVersion, path: JsonPointer, notModified: v.literal(true) }),
]);

/** A version's metadata with its state as canonical JSON text, or `notModified`. */
export type VersionStateText = v.InferOutput<typeof VersionStateText>;

import * as v from "valibot";
import { isJsonObject, type JsonObject } from "../json.ts";
import { JsonData } from "../json-patch.ts";

/** An identifier: of a workflow, task, agent, version, snapshot or author. */
export const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(256));

/** A moment as milliseconds since the Unix epoch (what `Date.now()` returns). */
export const Timestamp = v.pipe(v.number(), v.finite(), v.minValue(0));

/** A count: a non-negative safe integer. */
export const Count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

/** A version number: the first version of a workflow is 1. */
export const VersionNumber = v.pipe(v.number(), v.safeInteger(), v.minValue(1));

/** A SHA-256 checksum as 64 lowercase hexadecimal characters, as `checksum()` returns it. */
export const Checksum = v.pipe(
  v.string(),
  v.regex(/^[0-9a-f]{64}$/, "Invalid checksum: expected 64 lowercase hexadecimal characters"),
);

/** How many checksums one conditional read may name (HTTP's `If-None-Match`). */
export const MAX_HELD_CHECKSUMS = 32;

/**
 * The versions a reader already holds, by checksum, or `["*"]` for whichever version it is:
 * what makes a read conditional.
 */
export const HeldChecksums = v.pipe(
  v.array(v.union([Checksum, v.literal("*")])),
  v.maxLength(MAX_HELD_CHECKSUMS),
);

/** Capability names an agent offers or a task needs. */
export const Capabilities = v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(100)));

/** A JSON object whose members may hold any JSON. */
// Annotated so the recursive JSON type is not re-expanded wherever the schema is nested.
export const JsonRecord: v.GenericSchema<unknown, JsonObject> = v.pipe(
  JsonData,
  v.custom<JsonObject>(isJsonObject, "Invalid type: Expected a JSON object"),
);

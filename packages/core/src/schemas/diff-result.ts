import * as v from "valibot";
import { JsonPatch } from "../json-patch.ts";
import { VersionNumber } from "./fields.ts";

/** The JSON Patch (RFC 6902) that turns version `from` of a workflow's state into version `to`. */
export const DiffResult = v.object({ from: VersionNumber, to: VersionNumber, patch: JsonPatch });

/** The JSON Patch that turns one version of a workflow's state into another. */
export type DiffResult = v.InferOutput<typeof DiffResult>;

import * as v from "valibot";
import { VersionNumber } from "./fields.ts";
import { StateVersion } from "./state-version.ts";

/** One page of a workflow's version history (metadata only), newest first. */
export const HistoryPage = v.object({
  versions: v.array(StateVersion),
  /** the version number to pass back as `cursor` for the next page; `null` on the last page */
  nextCursor: v.nullable(VersionNumber),
});

/** One page of a workflow's version history, newest first. */
export type HistoryPage = v.InferOutput<typeof HistoryPage>;

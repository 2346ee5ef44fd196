import { ContextFocus, MAX_CONTEXT_BUDGET } from "@chorus/core";
import * as v from "valibot";
import { VersionParam, wholeNumber } from "./params.ts";

/** The query of `GET .../context`. */
export const ContextQuery = v.object({
  /** the most tokens the view may take (`o200k_base`) */
  budget: v.pipe(
    wholeNumber(1),
    v.maxValue(MAX_CONTEXT_BUDGET, `Invalid budget: at most ${MAX_CONTEXT_BUDGET} tokens`),
  ),
  /** a JSON Pointer into the state: what the reader works on, first in the view */
  focus: v.optional(ContextFocus),
  /** the version to read; the head of `main` when absent */
  version: v.optional(VersionParam),
});

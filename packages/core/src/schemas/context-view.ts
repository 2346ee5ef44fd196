import * as v from "valibot";
import { JsonData, JsonPointer } from "../json-patch.ts";
import { Count, VersionNumber } from "./fields.ts";

/** The largest token budget a context view may be asked for: past any model's window today. */
export const MAX_CONTEXT_BUDGET = 200_000;

/** A context view's token budget: a whole number from 1 to {@link MAX_CONTEXT_BUDGET}. */
export const ContextBudget = v.pipe(
  v.number(),
  v.safeInteger(),
  v.minValue(1),
  v.maxValue(MAX_CONTEXT_BUDGET, `Invalid budget: at most ${MAX_CONTEXT_BUDGET} tokens`),
);

/**
 * The parts of a context view, in the order they are filled: the focus, the workflow's status,
 * its open tasks, its recent versions, its decisions (resolved conflicts), then summaries of its
 * finished tasks and agents, and last its free-form `data` and `metadata`.
 */
export const ContextSectionName = v.picklist([
  "focus",
  "status",
  "open-tasks",
  "recent-changes",
  "decisions",
  "finished-tasks",
  "agents",
  "data",
  "metadata",
]);

/** One part of a context view. */
export type ContextSectionName = v.InferOutput<typeof ContextSectionName>;

/** One part of a context view: values copied from the workflow, or counts of them. */
export const ContextSection = v.object({
  name: ContextSectionName,
  /** where the content comes from: a JSON Pointer into the state (`""` the root), or `history` */
  source: v.string(),
  /** true when the content is a summary made by rule (counts, latest values), not the values */
  condensed: v.boolean(),
  /** the content's tokens, written as RFC 8785 JSON */
  tokens: Count,
  content: JsonData,
});

/** One part of a context view. */
export type ContextSection = v.InferOutput<typeof ContextSection>;

/**
 * Why something is not in a context view as it is in the workflow: it did not fit the budget,
 * a rule condensed it into a count, or it repeats what another section holds (the focus).
 */
export const OmissionReason = v.picklist(["budget", "condensed", "repeated"]);

/** Why something is not in a context view as it is in the workflow. */
export type OmissionReason = v.InferOutput<typeof OmissionReason>;

/** Something a context view leaves out, or holds only as a count. */
export const ContextOmission = v.object({
  section: ContextSectionName,
  /**
   * what is left out: a JSON Pointer into the state, `version:<n>`, `versions:<a>-<b>`, or
   * `conflict:<id>`
   */
  ref: v.string(),
  reason: OmissionReason,
  /** for a container partly kept: how many of its members (array items) are left out */
  count: v.exactOptional(Count),
  /** what it would have cost, in tokens (0 when not counted: versions outside the window) */
  tokens: Count,
});

/** Something a context view leaves out, or holds only as a count. */
export type ContextOmission = v.InferOutput<typeof ContextOmission>;

/**
 * `GET /api/workflows/{id}/context`: the most relevant part of one version of a workflow that
 * fits a token budget. `tokens` (the sum of the sections' tokens) never exceeds `budget`.
 */
export const ContextView = v.object({
  version: VersionNumber,
  budget: ContextBudget,
  tokens: Count,
  sections: v.array(ContextSection),
  omitted: v.array(ContextOmission),
});

/** The most relevant part of one version of a workflow that fits a token budget. */
export type ContextView = v.InferOutput<typeof ContextView>;

/** The focus of a context view: a JSON Pointer into the workflow's state. */
export const ContextFocus = JsonPointer;

import * as v from "valibot";
import { Id, VersionNumber } from "./fields.ts";
import { StateEvent } from "./state-event.ts";

/**
 * What the state manager's outbox hands a change consumer (the coordinator, an agent worker):
 * the next committed versions of one workflow, oldest first, with no gap between them. The same
 * events may come again (delivery is at least once): a consumer de-duplicates by version, with
 * {@link planChanges} or a {@link ChangeInbox}.
 *
 * @example
 * const delivery = v.parse(ChangeDelivery, input);
 */
export const ChangeDelivery = v.object({
  workflowId: Id,
  /** whole, unfiltered events, in increasing version order */
  events: v.pipe(v.array(StateEvent), v.minLength(1)),
});

/** The next committed versions of one workflow, as the outbox delivers them. */
export type ChangeDelivery = v.InferOutput<typeof ChangeDelivery>;

/**
 * A consumer's answer to a {@link ChangeDelivery}: the highest version of the workflow it has
 * applied (durably) so far. The state manager sends the versions after it next; an answer below
 * the first version it sent counts as a refusal, retried with backoff. `pause: true` says the
 * consumer needs none of the workflow's later changes (an agent directory with no agent): they
 * are not sent to it until it calls the state manager's `resumeChanges` for the workflow.
 */
export const ChangeAck = v.object({
  upTo: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  pause: v.optional(v.boolean()),
});

/** A consumer's answer to a {@link ChangeDelivery}. */
export type ChangeAck = v.InferOutput<typeof ChangeAck>;

/**
 * The state manager's answer to `resumeChanges`: the workflow's newest version, after which
 * the consumers that had paused receive every change again.
 */
export const ChangesResumed = v.object({ after: VersionNumber });

/** The answer to `resumeChanges`. */
export type ChangesResumed = v.InferOutput<typeof ChangesResumed>;

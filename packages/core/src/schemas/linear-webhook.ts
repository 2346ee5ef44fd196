import * as v from "valibot";
import { LinearId } from "./linear-config.ts";

/** The issue members of a Linear webhook that the sync reads; Linear sends many more. */
export const LinearIssueData = v.looseObject({
  id: LinearId,
  title: v.exactOptional(v.string()),
  stateId: v.exactOptional(v.nullable(LinearId)),
  assigneeId: v.exactOptional(v.nullable(LinearId)),
  teamId: v.exactOptional(LinearId),
});

/** The issue members of a Linear webhook that the sync reads. */
export type LinearIssueData = v.InferOutput<typeof LinearIssueData>;

/**
 * A Linear webhook delivery (a data-change event). Linear signs the raw body; `webhookTimestamp`
 * (milliseconds since the epoch) is inside the signed body, so it cannot be altered in transit.
 *
 * @example
 * const parsed = v.safeParse(LinearWebhookPayload, JSON.parse(rawBody));
 */
export const LinearWebhookPayload = v.looseObject({
  action: v.string(),
  /** the entity type, e.g. `Issue` or `Comment` */
  type: v.string(),
  data: v.looseObject({ id: LinearId }),
  webhookTimestamp: v.pipe(v.number(), v.finite()),
  webhookId: v.exactOptional(v.string()),
  organizationId: v.exactOptional(v.string()),
  /** the previous values of the members an `update` changed */
  updatedFrom: v.exactOptional(v.record(v.string(), v.unknown())),
});

/** A Linear webhook delivery. */
export type LinearWebhookPayload = v.InferOutput<typeof LinearWebhookPayload>;

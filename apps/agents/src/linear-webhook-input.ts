import { LinearWebhookPayload } from "@chorus/core";
import * as v from "valibot";

/** A Linear webhook the gateway verified, passed to the agents worker. */
export const LinearWebhookInput = v.object({
  payload: LinearWebhookPayload,
  /** identifies the delivery, for replay detection: its signature */
  replayKey: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
});

/** A Linear webhook the gateway verified. */
export type LinearWebhookInput = v.InferOutput<typeof LinearWebhookInput>;

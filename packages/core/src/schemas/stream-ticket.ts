import * as v from "valibot";
import { Timestamp } from "./fields.ts";

/** What `POST …/tickets` answers: a way in for a stream whose client cannot send headers. */
export const StreamTicket = v.object({
  /** single-use, for this workflow's `/events` and `/subscribe` as `?ticket=` */
  ticket: v.string(),
  /** when it stops being accepted (60 s after it was issued), ms since the epoch */
  expiresAt: Timestamp,
});

/** What `POST …/tickets` answers. */
export type StreamTicket = v.InferOutput<typeof StreamTicket>;

import { BranchName, PointerGlobList, StateChangeTypeList } from "@chorus/core";
import * as v from "valibot";
import { wholeNumber } from "./params.ts";

/** The query of `GET …/events` and `GET …/subscribe`. */
export const StreamQuery = v.object({
  /** replay every version after this one, then go live (default: live from the head) */
  since: v.optional(wholeNumber(0)),
  /** only this branch's versions (default: every branch) */
  branch: v.optional(BranchName),
  /** comma-separated JSON Pointer globs, as in the settings' rules: `/tasks/**,/status` */
  paths: v.optional(PointerGlobList),
  /** comma-separated change types: `task-update`, `agent-status`, `workflow-status`, `metadata-update` */
  types: v.optional(StateChangeTypeList),
  /** a ticket from `POST …/tickets`, for clients that cannot send `Authorization` (browsers) */
  ticket: v.optional(v.string()),
});

/** The headers of `GET …/events`. */
export const EventsHeaders = v.object({
  /** the last version received: the standard SSE resume, which takes precedence over `since` */
  "last-event-id": v.optional(wholeNumber(0)),
});

/** The headers of `GET …/subscribe`. */
export const SubscribeHeaders = v.object({
  /** `websocket` (426 otherwise) */
  upgrade: v.optional(v.string()),
});

import * as v from "valibot";
import { AuditEntry } from "./audit-entry.ts";

/** One page of a workflow's audit trail, newest first. */
export const AuditPage = v.object({
  entries: v.array(AuditEntry),
  /** the `seq` to pass back as `cursor` for the next page; `null` on the last page */
  nextCursor: v.nullable(AuditEntry.entries.seq),
});

/** One page of a workflow's audit trail, newest first. */
export type AuditPage = v.InferOutput<typeof AuditPage>;

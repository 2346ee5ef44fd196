import * as v from "valibot";
import { JsonData } from "../json-patch.ts";
import { Id, Timestamp, VersionNumber } from "./fields.ts";

/** One entry of a workflow's append-only audit trail: who did what, when, to which version. */
export const AuditEntry = v.object({
  /** its place in the trail, rising; the cursor of a page */
  seq: v.number(),
  at: Timestamp,
  actor: Id,
  /** e.g. `version.merge`, `branch.created`, `snapshot.restored`, `conflict.resolved` */
  action: v.string(),
  /** the version it made or touched; `null` when none */
  version: v.nullable(VersionNumber),
  /** what else the action records */
  detail: JsonData,
});

/** One entry of a workflow's audit trail. */
export type AuditEntry = v.InferOutput<typeof AuditEntry>;

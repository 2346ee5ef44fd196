import type { WorkflowSettings } from "@chorus/core";
import type { AuditLog } from "./audit-log.ts";
import type { BlobStore } from "./blob-store.ts";
import type { BranchTable } from "./branch-table.ts";
import type { ConflictTable } from "./conflict-table.ts";
import type { Counters } from "./counters.ts";
import type { IdempotencyKeys } from "./idempotency.ts";
import type { NotificationOutbox } from "./notification-outbox.ts";
import type { Outbox } from "./outbox.ts";
import type { ReviewTable } from "./review-table.ts";
import type { SnapshotTable } from "./snapshot-table.ts";
import type { VersionRow, VersionStore } from "./version-store.ts";

/** Everything one workflow's operations share: its tables, its settings, the clock. */
export interface WorkflowContext {
  readonly storage: DurableObjectStorage;
  readonly blobs: BlobStore;
  readonly versions: VersionStore;
  readonly branches: BranchTable;
  readonly snapshots: SnapshotTable;
  readonly conflicts: ConflictTable;
  readonly counters: Counters;
  readonly audit: AuditLog;
  readonly idempotency: IdempotencyKeys;
  readonly reviews: ReviewTable;
  /** review events waiting for the notifiers: a review event records its own */
  readonly notifications: NotificationOutbox;
  /** versions awaiting delivery to consumer workers: a commit records its own */
  readonly outbox: Outbox;
  /** the workflow this object holds; throws `NOT_FOUND` before it is created */
  workflowId(): string;
  settings(): WorkflowSettings;
  now(): number;
  /**
   * Runs `fn` in one SQLite transaction; if it throws, the in-memory mirrors of the tables
   * (branch heads, counters, version rows) are read again, so they never keep a rolled-back write.
   */
  transaction<T>(fn: () => T): T;
  /** called once a version's transaction has committed (metrics, analytics) */
  versionWritten(row: VersionRow): void;
}

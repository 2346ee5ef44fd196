// The public surface of @chorus/client. The CLI (cli.ts, cli-*.ts) is reached through bin/chorus.mjs.

// Shared with the state manager and the gateway: core's schemas are these types' one source,
// and the gateway's tests check every answer against them.
export type {
  AuditEntry,
  AuditPage,
  Branch,
  CommitResult,
  ComponentHealth,
  ContextOmission,
  ContextSection,
  ContextView,
  DiffResult,
  Health,
  HistoryPage,
  IntegrityProblem,
  IntegrityReport,
  IssuedToken,
  MergeRule,
  Problem,
  QueuedConflict,
  Review,
  ReviewDetail,
  ReviewNote,
  ReviewOpened,
  ReviewStatus,
  Role,
  Snapshot,
  StateChange,
  StateChangeType,
  StateEvent,
  StateVersion,
  TokenInfo,
  ValidationIssue,
  WorkflowDetail,
  WorkflowPage,
  WorkflowRecord,
} from "@chorus/core";
export { ChorusClient, type ChorusClientOptions } from "./client.ts";
export {
  AuthError,
  ChorusApiError,
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  type ReceivedProblem,
  toApiError,
  ValidationError,
} from "./errors.ts";
export {
  columns,
  describeCommit,
  describeConflicts,
  describeCreated,
  describeEvent,
  formatHealth,
  formatHistory,
  formatPatch,
  formatSnapshots,
  formatStateRead,
  formatTime,
  formatValue,
  formatWorkflowPage,
} from "./format.ts";
export type { FetchLike } from "./http.ts";
export { type LiveChange, type LiveListener, type LiveOptions, LiveState } from "./live-state.ts";
export { ReviewMethods } from "./review-methods.ts";
export { type SseMessage, SseParser } from "./sse-parser.ts";
export type { SubscribeOptions } from "./subscribe.ts";
export type {
  CommitInput,
  CreatedWorkflow,
  CreateWorkflowInput,
  GetStateOptions,
  ListWorkflowsOptions,
  PatchOptions,
  Resolution,
  Settings,
  SettingsUpdate,
  StateRead,
} from "./types.ts";
export type { UpdateOptions, Updater } from "./update.ts";

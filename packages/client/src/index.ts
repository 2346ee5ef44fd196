// The public surface of @chorus/client. The CLI (cli.ts, cli-*.ts) is reached through bin/chorus.mjs.

// Shared with the state manager and the gateway: core's schemas are these types' one source.
export type { AuditEntry, Branch, QueuedConflict } from "@chorus/core";
export { ChorusClient, type ChorusClientOptions } from "./client.ts";
export {
  AuthError,
  ChorusApiError,
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  type Problem,
  type ProblemIssue,
  toApiError,
  ValidationError,
} from "./errors.ts";
export {
  columns,
  describeCommit,
  describeConflicts,
  describeCreated,
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
export type {
  AuditPage,
  CommitInput,
  CommitResult,
  ComponentHealth,
  CreatedToken,
  CreatedWorkflow,
  CreateWorkflowInput,
  DiffResult,
  GetStateOptions,
  Health,
  HistoryPage,
  IntegrityReport,
  ListWorkflowsOptions,
  MergeRule,
  PatchOptions,
  Resolution,
  Role,
  Settings,
  SettingsUpdate,
  StateRead,
  TokenInfo,
  WorkflowPage,
} from "./types.ts";
export type { UpdateOptions, Updater } from "./update.ts";

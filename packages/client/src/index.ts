// The public surface of @chorus/client. The CLI (cli.ts, cli-*.ts) is reached through bin/chorus.mjs.

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
export type { FetchLike } from "./http.ts";
export type {
  AuditEntry,
  AuditPage,
  Branch,
  CommitInput,
  CommitResult,
  ComponentHealth,
  CreatedToken,
  CreatedWorkflow,
  DiffResult,
  GetStateOptions,
  Health,
  HistoryPage,
  IntegrityReport,
  ListWorkflowsOptions,
  MergeRule,
  PatchOptions,
  QueuedConflict,
  Resolution,
  Role,
  Settings,
  SettingsUpdate,
  StateRead,
  TokenInfo,
  WorkflowPage,
} from "./types.ts";
export type { UpdateOptions, Updater } from "./update.ts";

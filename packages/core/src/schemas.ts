// The valibot schemas of Chorus's data, one concept per file under schemas/.
export { Agent, AgentStatus } from "./schemas/agent.ts";
export {
  AgentAnswer,
  AgentCapabilities,
  AgentId,
  AgentLease,
  AgentLeases,
  AgentList,
  AgentName,
  AgentRecord,
  AgentRecordStatus,
  AgentTtl,
  AgentType,
  AgentWorkflowIds,
  MAX_AGENT_CONCURRENCY,
  MAX_AGENT_TTL_MS,
  MaxConcurrency,
  MIN_AGENT_TTL_MS,
  NewAgent,
  RegisteredAgent,
} from "./schemas/agent-record.ts";
export { ArchivePolicy, DEFAULT_ARCHIVE_POLICY } from "./schemas/archive-policy.ts";
export { AuditEntry } from "./schemas/audit-entry.ts";
export { AuditPage } from "./schemas/audit-page.ts";
export { Branch, BranchList } from "./schemas/branch.ts";
export { BranchName } from "./schemas/branch-name.ts";
export { ChangeAck, ChangeDelivery, ChangesResumed } from "./schemas/change-delivery.ts";
export { ChangeFeed, FeedEntry } from "./schemas/change-feed.ts";
export { CommitOrigin } from "./schemas/commit-origin.ts";
export { CommitResult } from "./schemas/commit-result.ts";
export {
  ContextBudget,
  ContextFocus,
  ContextOmission,
  ContextSection,
  ContextSectionName,
  ContextView,
  MAX_CONTEXT_BUDGET,
  OmissionReason,
} from "./schemas/context-view.ts";
export { CoordinatorStorage, RegistryStorage } from "./schemas/coordinator-storage.ts";
export { CreatedWorkflow } from "./schemas/created-workflow.ts";
export { DiffResult } from "./schemas/diff-result.ts";
export {
  EventFilter,
  MAX_FILTER_GLOBS,
  PointerGlobList,
  StateChangeTypeList,
} from "./schemas/event-filter.ts";
export {
  Capabilities,
  Checksum,
  Count,
  HeldChecksums,
  Id,
  JsonRecord,
  MAX_HELD_CHECKSUMS,
  Timestamp,
  VersionNumber,
} from "./schemas/fields.ts";
export { ComponentHealth, Health } from "./schemas/health.ts";
export { HistoryPage } from "./schemas/history-page.ts";
export { IntegrityProblem, IntegrityReport } from "./schemas/integrity-report.ts";
export {
  LinearAgentConfig,
  LinearId,
  LinearStateMap,
  LinearStateType,
  LinearWorkflowState,
} from "./schemas/linear-config.ts";
export { LinearIssueData, LinearWebhookPayload } from "./schemas/linear-webhook.ts";
export { NewTask, type NewTaskInput } from "./schemas/new-task.ts";
export {
  Activity,
  AgentLoad,
  ConflictCount,
  Overview,
  WorkflowCounts,
} from "./schemas/overview.ts";
export {
  CreateTaskAction,
  NewRule,
  PointerGlob,
  Rule,
  RuleAnswer,
  RuleDetail,
  RuleFiring,
  RuleList,
  RuleThen,
  RuleWhen,
  SetAction,
  WebhookAction,
  WebhookAttempt,
  WebhookDelivery,
  WebhookDeliveryList,
} from "./schemas/pattern-rule.ts";
export { Problem } from "./schemas/problem.ts";
export {
  ConflictList,
  QueuedConflict,
  QueuedConflictStatus,
} from "./schemas/queued-conflict.ts";
export { recordById } from "./schemas/record-by-id.ts";
export {
  NewReview,
  type NewReviewInput,
  Review,
  ReviewChange,
  ReviewComment,
  ReviewDecision,
  ReviewDetail,
  ReviewList,
  ReviewNote,
  ReviewOpened,
  ReviewRef,
  ReviewStatus,
  ReviewText,
} from "./schemas/review.ts";
export { GatedTransition, ReviewGate } from "./schemas/review-gate.ts";
export {
  DEFAULT_REVIEW_CAPABILITY,
  ReviewManagerConfig,
} from "./schemas/review-manager-config.ts";
export { Role } from "./schemas/role.ts";
export {
  Limits,
  MergeRule,
  SettingsPatch,
  type SettingsPatchInput,
  WorkflowSettings,
} from "./schemas/settings.ts";
export { Snapshot, SnapshotList } from "./schemas/snapshot.ts";
export {
  BuiltinAgentType,
  SpawnAgent,
  SpawnedAgent,
  SpawnedAgentAnswer,
  SpawnedAgentList,
  SpawnedAgentStatus,
} from "./schemas/spawned-agent.ts";
export { StateChange, StateChangeType } from "./schemas/state-change.ts";
export { StateEvent, StreamResume } from "./schemas/state-event.ts";
export { StateRead } from "./schemas/state-read.ts";
export { StateVersion } from "./schemas/state-version.ts";
export { StreamControl, StreamSubscription } from "./schemas/stream-control.ts";
export { StreamTicket } from "./schemas/stream-ticket.ts";
export {
  Lease,
  LeaseMs,
  MaxAttempts,
  Task,
  TaskError,
  TaskPriority,
  TaskStatus,
} from "./schemas/task.ts";
export { TaskChange } from "./schemas/task-change.ts";
export { LeaseGrant, TaskClaim, TaskClaims } from "./schemas/task-claim.ts";
export { TaskList } from "./schemas/task-list.ts";
export { IssuedToken, TokenId, TokenInfo, TokenList, TokenName } from "./schemas/token-info.ts";
export { ValidationIssue } from "./schemas/validation-issue.ts";
export { VersionState, VersionStateText } from "./schemas/version-state.ts";
export { TaskCounts, WorkflowDetail } from "./schemas/workflow-detail.ts";
export { WorkflowPage } from "./schemas/workflow-page.ts";
export {
  NewWorkflow,
  type NewWorkflowInput,
  WorkflowDescription,
  WorkflowName,
  WorkflowRecord,
  WorkflowTag,
  WorkflowTags,
  WorkflowUpdate,
} from "./schemas/workflow-record.ts";
export {
  Priority,
  parseState,
  validateState,
  validateStateChange,
  validateStateDocument,
  WorkflowContext,
  WorkflowState,
  WorkflowStateDocument,
  type WorkflowStateInput,
  WorkflowStatus,
} from "./schemas/workflow-state.ts";

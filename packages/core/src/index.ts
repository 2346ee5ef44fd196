// The public surface of @chorus/core. Internal modules (merge-*, canonical-order, reorder,
// testing/) are not exported.

export { FIRST_RETRY_DELAY_MS, MAX_RETRY_DELAY_MS, retryDelay } from "./backoff.ts";
export { benchFloorsEnabled } from "./bench-floors.ts";
export { builtinStrategies } from "./builtin-strategies.ts";
export { CanonicalCache } from "./canonical-cache.ts";
export type { CanonicalizeOptions } from "./canonical-json.ts";
export { canonicalize } from "./canonical-json.ts";
export type { ChangePlan } from "./change-inbox.ts";
export { ChangeInbox, planChanges } from "./change-inbox.ts";
export { checksum, sha256Hex, sha256HexOfBytes } from "./checksum.ts";
export { Conflict, ResolvedConflict } from "./conflict.ts";
export type { Cut, Fitted } from "./context-fit.ts";
export { fitValue, tokensOf } from "./context-fit.ts";
export type { ContextInput } from "./context-view.ts";
export {
  buildContextView,
  CONTEXT_RECENT_VERSIONS,
  CONTEXT_TOKEN_ENCODING,
  CONTEXT_VIEW_REVISION,
} from "./context-view.ts";
export type { AsyncDeltaLoader, DeltaLoader } from "./delta-codec.ts";
export { DeltaEntry, encodeVersion, reconstruct, reconstructAsync } from "./delta-codec.ts";
export { diff } from "./diff.ts";
export type { ErrorCode, ErrorData } from "./errors.ts";
export { ChorusError, ErrorCodes, isChorusError } from "./errors.ts";
export { invertPatch } from "./invert.ts";
export type { JsonArray, JsonObject, JsonValue } from "./json.ts";
export { assertJson, DEFAULT_MAX_DEPTH, deepEqual, isJsonObject } from "./json.ts";
export { JsonData, JsonPatch, JsonPatchOperation, JsonPointer, parsePatch } from "./json-patch.ts";
export { asciiJson, spliceJson } from "./json-splice.ts";
export type { LinearSyncRecord } from "./linear-echo.ts";
export { changedSyncFields, isEmptySyncChange } from "./linear-echo.ts";
export type { LinearFieldContext, SyncedIssueFields, SyncedTaskFields } from "./linear-fields.ts";
export { issueFieldsFor, syncedTaskFields, taskFieldsFor } from "./linear-fields.ts";
export { linearIssueId } from "./linear-issue-id.ts";
export type { LinearSendFailure, PendingLinearChange } from "./linear-pending-queue.ts";
export {
  afterLinearFailure,
  dueLinearChanges,
  nextLinearDueAt,
  supersedeLinearChanges,
} from "./linear-pending-queue.ts";
export { DEFAULT_STATE_TYPES, stateForStatus, statusForState } from "./linear-status-map.ts";
export type { TaskFieldChange } from "./linear-task-changes.ts";
export { taskFieldChanges } from "./linear-task-changes.ts";
export type { LinearWebhookCheck, LinearWebhookRefusal } from "./linear-webhook.ts";
export {
  LINEAR_SIGNATURE_HEADER,
  LINEAR_WEBHOOK_TOLERANCE_MS,
  signLinearWebhook,
  verifyLinearWebhook,
} from "./linear-webhook.ts";
export type { MergeOptions, MergeResult } from "./merge.ts";
export { merge } from "./merge.ts";
export type { OverviewInput, WorkflowSample } from "./overview.ts";
export { OVERVIEW_ACTIVITY, OVERVIEW_WINDOW_MS, summarizeOverview } from "./overview.ts";
export { applyPatch } from "./patch.ts";
export type { PathFilter, PathRuleMatcher } from "./path-rules.ts";
export { compilePathFilter, compilePathRules, matchPointerGlob, PathRule } from "./path-rules.ts";
export {
  arrayIndex,
  escapeToken,
  formatPointer,
  getAt,
  hasAt,
  parsePointer,
  unescapeToken,
} from "./pointer.ts";
export type { Result } from "./result.ts";
export { attempt, ok, unwrap } from "./result.ts";
export type { GateHit } from "./review-gates.ts";
export { gateHits, isProtectedBranch, matchesApproved } from "./review-gates.ts";
export type { RuleSubject } from "./rule-match.ts";
export { ruleFires, ruleNeedsState } from "./rule-match.ts";
export * from "./schemas.ts";
export type { StateChangeContext } from "./state-changes.ts";
export { changeType, toStateChanges } from "./state-changes.ts";
export type { EventSelector, StateEventHeader } from "./state-event.ts";
export { compileEventSelector, toStateEvent } from "./state-event.ts";
export type {
  RegisteredStrategy,
  Strategy,
  StrategyContext,
  StrategyInput,
  StrategyOptions,
  StrategyOutcome,
  WriterInfo,
} from "./strategies.ts";
export { defaultStrategies, registerStrategy, StrategyRegistry } from "./strategies.ts";
export type { StreamFrame } from "./stream-frames.ts";
export {
  controlFrame,
  eventFrame,
  readFrame,
  STREAM_MORE,
  STREAM_PING,
  STREAM_PONG,
  STREAM_SUBSCRIPTION_HEADER,
} from "./stream-frames.ts";
export { createTask } from "./task-create.ts";
export type { BoardTask } from "./task-defaults.ts";
export { withDefaults } from "./task-defaults.ts";
export { checkDependencies, dependenciesMet, releaseDependents } from "./task-dependencies.ts";
export {
  boardHoldsEveryLease,
  claimOrder,
  leasesHeld,
  selectClaimable,
} from "./task-order.ts";
export { tasksPatch } from "./task-patch.ts";
export {
  assertLease,
  cancelTask,
  claimTask,
  completeTask,
  dueAt,
  dueTransition,
  expireTask,
  failTask,
  heartbeatTask,
  leaseOf,
  retryTask,
} from "./task-transitions.ts";
export type { TokenCounter } from "./token-counter.ts";
export { estimateTokens } from "./token-counter.ts";
export type { ValidationErrorOptions, ValidationResult } from "./validate.ts";
export { toValidationIssue, validate, validateOrThrow, validationError } from "./validate.ts";
export type { VersionLookup, VersionNode } from "./version-graph.ts";
export { ancestors, mergeBase, mergeBases } from "./version-graph.ts";
export type {
  CheckHistoryOptions,
  HistoryProblem,
  HistoryProblemCode,
  HistoryReport,
} from "./version-history.ts";
export { checkHistory } from "./version-history.ts";
export { SIGNATURE_HEADER, signWebhook, verifyWebhook } from "./webhook-signature.ts";
export { assertTransition, canTransition } from "./workflow-status.ts";

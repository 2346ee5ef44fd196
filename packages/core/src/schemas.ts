// The valibot schemas of Chorus's data, one concept per file under schemas/.
export { Agent, AgentStatus } from "./schemas/agent.ts";
export { ArchivePolicy, DEFAULT_ARCHIVE_POLICY } from "./schemas/archive-policy.ts";
export { AuditEntry } from "./schemas/audit-entry.ts";
export { Branch } from "./schemas/branch.ts";
export { BranchName } from "./schemas/branch-name.ts";
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
export { QueuedConflict, QueuedConflictStatus } from "./schemas/queued-conflict.ts";
export { recordById } from "./schemas/record-by-id.ts";
export { Limits, MergeRule, SettingsPatch, WorkflowSettings } from "./schemas/settings.ts";
export { Snapshot } from "./schemas/snapshot.ts";
export { StateChange, StateChangeType } from "./schemas/state-change.ts";
export { StateEvent, StreamResume } from "./schemas/state-event.ts";
export { StateVersion } from "./schemas/state-version.ts";
export { StreamControl, StreamSubscription } from "./schemas/stream-control.ts";
export { Task, TaskError, TaskStatus } from "./schemas/task.ts";
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

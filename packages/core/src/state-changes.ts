import type { JsonValue } from "./json.ts";
import type { JsonPatchOperation } from "./json-patch.ts";
import { applyPatch } from "./patch.ts";
import { getAt, hasAt, parsePointer } from "./pointer.ts";
import type { StateChange, StateChangeType } from "./schemas/state-change.ts";

/** Who made a change, when, and to which workflow; shared by every change of one commit. */
export interface StateChangeContext {
  workflowId: string;
  agentId: string;
  timestamp: number;
  /** ids are `${idPrefix}:${n}`; defaults to `${workflowId}:${timestamp}` */
  idPrefix?: string;
}

/**
 * Describes what a JSON Patch did to a workflow state as {@link StateChange}s, for subscribers
 * and the audit trail. Operations are replayed in order, so each old value is the one that
 * operation actually replaced. `add`, `remove`, `replace` and `copy` each give one change; `move`
 * gives two (the removal at `from`, then the addition at `path`), a move onto itself none, and
 * `test` none. Ids are `${idPrefix}:${n}` with `n` the change's position, so deriving the changes
 * again gives the same ids.
 * @param patch the operations, as applied to `before`
 * @param before the state the patch was applied to
 * @param context the workflow, agent, time and id prefix to stamp on each change
 * @returns the changes, in order
 * @throws ChorusError from `applyPatch` when an operation does not apply to `before`
 * @example
 * toStateChanges([{ op: "replace", path: "/status", value: "paused" }], { status: "running" },
 *   { workflowId: "wf-1", agentId: "a1", timestamp: 1, idPrefix: "v7" });
 * // [{ id: "v7:0", type: "workflow-status", path: "/status", oldValue: "running", newValue: "paused", … }]
 */
export function toStateChanges(
  patch: ReadonlyArray<JsonPatchOperation>,
  before: JsonValue,
  context: StateChangeContext,
): StateChange[] {
  const { workflowId, agentId, timestamp } = context;
  const prefix = context.idPrefix ?? `${workflowId}:${timestamp}`;
  const changes: StateChange[] = [];
  const record = (path: string, values: Pick<StateChange, "oldValue" | "newValue">): void => {
    const id = `${prefix}:${changes.length}`;
    changes.push({ id, workflowId, type: changeType(path), path, ...values, timestamp, agentId });
  };
  let current = before;
  for (const operation of patch) {
    // Applying first checks the operation, so reading the old values below cannot fail.
    const next = applyPatch(current, [operation]);
    switch (operation.op) {
      case "add":
        record(operation.path, { ...replaced(current, operation.path), newValue: operation.value });
        break;
      case "replace":
        record(operation.path, {
          oldValue: getAt(current, operation.path),
          newValue: operation.value,
        });
        break;
      case "remove":
        record(operation.path, { oldValue: getAt(current, operation.path) });
        break;
      case "copy": {
        const newValue = getAt(current, operation.from);
        record(operation.path, { ...replaced(current, operation.path), newValue });
        break;
      }
      case "move": {
        if (operation.from === operation.path) break;
        const moved = getAt(current, operation.from);
        // RFC 6902 §4.4: a move is a remove then an add, so the target is read without the source.
        const removed = applyPatch(current, [{ op: "remove", path: operation.from }]);
        record(operation.from, { oldValue: moved });
        record(operation.path, { ...replaced(removed, operation.path), newValue: moved });
        break;
      }
      case "test":
        break;
    }
    current = next;
  }
  return changes;
}

/**
 * Classifies a change by the part of the state it touched.
 * @param path a JSON Pointer into a workflow state
 * @returns the change type
 */
export function changeType(path: string): StateChangeType {
  const [first, ...rest] = parsePointer(path);
  if (first === "tasks") return "task-update";
  if (first === "agents") return "agent-status";
  if ((first === "status" || first === "priority") && rest.length === 0) return "workflow-status";
  return "metadata-update";
}

// The value an `add` or `copy` at `path` overwrites: an existing object member, never an array
// element, since adding into an array inserts (RFC 6902 §4.1).
function replaced(document: JsonValue, path: string): { oldValue?: JsonValue } {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return { oldValue: document };
  if (Array.isArray(getAt(document, tokens.slice(0, -1)))) return {};
  return hasAt(document, tokens) ? { oldValue: getAt(document, tokens) } : {};
}

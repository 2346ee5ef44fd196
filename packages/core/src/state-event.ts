import type { JsonValue } from "./json.ts";
import type { JsonPatch } from "./json-patch.ts";
import { compilePathFilter } from "./path-rules.ts";
import { parsePointer } from "./pointer.ts";
import type { EventFilter } from "./schemas/event-filter.ts";
import type { StateEvent } from "./schemas/state-event.ts";
import { changeType, toStateChanges } from "./state-changes.ts";

/** A version's metadata as a {@link StateEvent} carries it. */
export type StateEventHeader = Omit<StateEvent, "patch" | "changes">;

/**
 * Builds the event of a version from its patch against its first parent.
 * @param header the version's metadata
 * @param patch the JSON Patch from its first parent's state (from `{}` for version 1)
 * @param before that state
 * @returns the event, its changes stamped with the author and time and ids `<workflowId>@<version>:<n>`
 * @throws ChorusError from `applyPatch` when the patch does not apply to `before`
 * @example
 * toStateEvent(header, [{ op: "replace", path: "/status", value: "paused" }], { status: "running" });
 */
export function toStateEvent(
  header: StateEventHeader,
  patch: JsonPatch,
  before: JsonValue,
): StateEvent {
  const changes = toStateChanges(patch, before, {
    workflowId: header.workflowId,
    agentId: header.author,
    timestamp: header.timestamp,
    idPrefix: `${header.workflowId}@${header.version}`,
  });
  return { ...header, patch, changes };
}

/** Narrows an event to what a subscriber asked for, or `undefined` when nothing is left. */
export type EventSelector = (event: StateEvent) => StateEvent | undefined;

/**
 * Compiles a stream's filter. An operation or change is kept when its path concerns one of the
 * `paths` globs (see `compilePathFilter`: at, inside or holding a watched path; a `move` also by
 * its `from`) and its type is one of `types` (a change at the root holds every type). An event
 * with nothing left is dropped; with no filter every event passes unchanged.
 * @param filter the globs and types; either may be absent
 * @returns the selector
 * @throws ChorusError `INVALID_POINTER` for a bad glob
 * @example
 * const select = compileEventSelector({ paths: ["/tasks/*"], types: ["task-update"] });
 * select(event); // the event with only its task changes, or undefined
 */
export function compileEventSelector(filter: EventFilter): EventSelector {
  const paths = filter.paths === undefined ? undefined : compilePathFilter(filter.paths);
  const types = filter.types === undefined ? undefined : new Set(filter.types);
  if (paths === undefined && types === undefined) return (event) => event;
  const concerns = (path: string): boolean => {
    const tokens = parsePointer(path);
    if (paths !== undefined && !paths(tokens)) return false;
    return types === undefined || tokens.length === 0 || types.has(changeType(path));
  };
  return (event) => {
    const patch = event.patch.filter(
      (op) => concerns(op.path) || (op.op === "move" && concerns(op.from)),
    );
    const changes = event.changes.filter((change) => concerns(change.path));
    return patch.length === 0 && changes.length === 0 ? undefined : { ...event, patch, changes };
  };
}

import type { JsonObject, WorkflowSettings } from "@chorus/core";
import { canonicalize } from "@chorus/core";

/** What a settings change records in the audit trail: the members it changed, before and after. */
export interface SettingsChange extends JsonObject {
  changed: string[];
  before: JsonObject;
  after: JsonObject;
}

/**
 * Compares two settings member by member, so the audit entry of a change names exactly what it
 * changed (review gates included: who loosened a merge gate must be on record).
 * @param before the settings in force
 * @param after the settings about to be saved
 * @returns the changed members with their old and new values; `undefined` when nothing changed
 */
export function settingsChange(
  before: WorkflowSettings,
  after: WorkflowSettings,
): SettingsChange | undefined {
  const old = before as unknown as JsonObject;
  const now = after as unknown as JsonObject;
  const changed = [...new Set([...Object.keys(old), ...Object.keys(now)])]
    .filter((key) => canonicalOf(old[key]) !== canonicalOf(now[key]))
    .sort();
  if (changed.length === 0) return undefined;
  const pick = (from: JsonObject): JsonObject =>
    Object.fromEntries(
      changed.flatMap((key) => (from[key] === undefined ? [] : [[key, from[key]]])),
    );
  return { changed, before: pick(old), after: pick(now) };
}

function canonicalOf(value: JsonObject[string] | undefined): string {
  return value === undefined ? "" : canonicalize(value);
}

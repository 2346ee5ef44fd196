import {
  ChorusError,
  compilePathFilter,
  compilePathRules,
  defaultStrategies,
  type SettingsPatch,
  WorkflowSettings,
} from "@chorus/core";
import * as v from "valibot";

/**
 * Applies a partial update to a workflow's settings, checking what a schema cannot: that every
 * strategy is registered and every rule's and review gate's pointer glob compiles.
 * @param current the settings in force
 * @param patch a validated partial update
 * @returns the new settings
 * @throws ChorusError `UNKNOWN_STRATEGY` or `INVALID_POINTER` for a bad rule
 */
export function applySettings(current: WorkflowSettings, patch: SettingsPatch): WorkflowSettings {
  const names: Array<[string, string]> = [
    ["/settings/defaultStrategy", patch.defaultStrategy ?? current.defaultStrategy],
    ...(patch.rules ?? []).map((rule, i): [string, string] => [
      `/settings/rules/${i}/strategy`,
      rule.strategy,
    ]),
  ];
  for (const [path, name] of names) {
    if (!defaultStrategies.has(name)) {
      throw new ChorusError("UNKNOWN_STRATEGY", `no strategy is registered as "${name}"`, { path });
    }
  }
  if (patch.rules !== undefined) compilePathRules(patch.rules);
  patch.reviewGates?.forEach((gate, i) => {
    const globs: Array<[string, string]> = (gate.paths ?? []).map((glob, j) => [
      `paths/${j}`,
      glob,
    ]);
    if (gate.transition !== undefined) globs.push(["transition/path", gate.transition.path]);
    for (const [at, glob] of globs) {
      try {
        compilePathFilter([glob]);
      } catch (error) {
        if (!(error instanceof ChorusError)) throw error;
        throw new ChorusError("INVALID_POINTER", `review gate ${i}: ${error.message}`, {
          path: `/settings/reviewGates/${i}/${at}`,
        });
      }
    }
  });
  return v.parse(WorkflowSettings, {
    ...current,
    ...patch,
    archivePolicy: { ...current.archivePolicy, ...patch.archivePolicy },
    limits: { ...current.limits, ...patch.limits },
  });
}

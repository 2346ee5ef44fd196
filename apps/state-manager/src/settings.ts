import {
  ArchivePolicy,
  ChorusError,
  compilePathRules,
  DEFAULT_ARCHIVE_POLICY,
  defaultStrategies,
} from "@chorus/core";
import * as v from "valibot";

/** Limits a commit must respect; exceeding one is a `TOO_LARGE` error and nothing is written. */
export const Limits = v.object({
  /** canonical JSON bytes of a whole state */
  maxStateBytes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 1024 * 1024),
  /** operations in one JSON Patch commit */
  maxPatchOps: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 10_000),
  /** branches per workflow, `main` included */
  maxBranches: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 100),
});
export type Limits = v.InferOutput<typeof Limits>;

/** A per-path merge rule: conflicts at paths matching the pointer glob use the strategy. */
export const MergeRule = v.object({
  path: v.pipe(v.string(), v.regex(/^(\/.*)?$/, "a pointer glob starts with /")),
  strategy: v.pipe(v.string(), v.minLength(1)),
});

/** How one workflow's StateManager behaves; every field has a default. */
export const WorkflowSettings = v.object({
  /** strategy for conflicts no rule matches */
  defaultStrategy: v.optional(v.pipe(v.string(), v.minLength(1)), "reject"),
  /** per-path strategies, first match wins */
  rules: v.optional(v.array(MergeRule), []),
  /** what a write without `baseVersion` means */
  unbasedWrites: v.optional(v.picklist(["last-writer-wins", "reject"]), "last-writer-wins"),
  /** a full state is stored every this many versions along a chain; patches in between */
  keyframeInterval: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000)),
    32,
  ),
  archivePolicy: v.optional(ArchivePolicy, DEFAULT_ARCHIVE_POLICY),
  limits: v.optional(Limits, {}),
});
export type WorkflowSettings = v.InferOutput<typeof WorkflowSettings>;

/** A partial update of the settings, as `configure` takes it. */
export const SettingsPatch = v.partial(
  v.object({
    defaultStrategy: v.pipe(v.string(), v.minLength(1)),
    rules: v.array(MergeRule),
    unbasedWrites: v.picklist(["last-writer-wins", "reject"]),
    keyframeInterval: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000)),
    archivePolicy: v.partial(ArchivePolicy),
    limits: v.partial(Limits),
  }),
);
export type SettingsPatch = v.InferOutput<typeof SettingsPatch>;

/**
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
  return v.parse(WorkflowSettings, {
    ...current,
    ...patch,
    archivePolicy: { ...current.archivePolicy, ...patch.archivePolicy },
    limits: { ...current.limits, ...patch.limits },
  });
}

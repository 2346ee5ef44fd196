import {
  type BuiltinAgentType,
  LinearAgentConfig,
  ReviewManagerConfig,
  validateOrThrow,
} from "@chorus/core";
import type * as v from "valibot";

/** The config each agent type takes, where it takes one with a fixed shape. */
const CONFIGS: Partial<Record<BuiltinAgentType, v.GenericSchema>> = {
  linear: LinearAgentConfig,
  "review-manager": ReviewManagerConfig,
};

/**
 * Checks a spawn's config against its type's schema, so a bad one is refused at `/config/…`
 * before any agent starts.
 * @param type the agent type
 * @param config the config sent
 * @throws ChorusError `VALIDATION_FAILED` with the offending path under `/config`
 */
export function checkAgentConfig(type: BuiltinAgentType, config: unknown): void {
  const schema = CONFIGS[type];
  if (schema !== undefined)
    validateOrThrow(schema, config ?? {}, { what: `${type} config`, at: "/config" });
}

import * as v from "valibot";

const Count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

/** What one kind of coordinator object holds, summed over its shards. */
export const RegistryStorage = v.object({
  /** how many shards (Durable Objects) there are */
  shards: Count,
  /** the records they hold: workflows, or registered agents */
  records: Count,
  /** their SQLite databases' size (`ctx.storage.sql.databaseSize`), in bytes */
  bytes: Count,
});

/** What one kind of coordinator object holds. */
export type RegistryStorage = v.InferOutput<typeof RegistryStorage>;

/**
 * What the coordinator keeps, by registry: the workflow registry's and the agent registry's
 * shards. An operator's view of how it grows (`GET /metrics`), and the bench's measure of the
 * coordinator's memory per workflow.
 */
export const CoordinatorStorage = v.object({
  workflows: RegistryStorage,
  agents: RegistryStorage,
});

/** What the coordinator keeps, by registry. */
export type CoordinatorStorage = v.InferOutput<typeof CoordinatorStorage>;

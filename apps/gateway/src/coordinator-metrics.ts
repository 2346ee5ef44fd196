import type { CoordinatorStorage } from "@chorus/core";
import type { Env } from "./env.ts";
import type { Family } from "./prometheus.ts";

/**
 * What the coordinator keeps, or `undefined` when it does not say (it is down, or an object
 * failed): the metrics still answer, and `chorus_up` tells why the coordinator's are missing.
 * @param env the bindings
 */
export async function coordinatorStorage(env: Env): Promise<CoordinatorStorage | undefined> {
  try {
    const result = await env.COORDINATOR.storage();
    return result.ok ? result.value : undefined;
  } catch {
    return undefined;
  }
}

const GAUGES = [
  [
    "chorus_coordinator_records",
    "records",
    "Workflows or agents the coordinator's registry holds.",
  ],
  [
    "chorus_coordinator_storage_bytes",
    "bytes",
    "Size of the registry's SQLite databases, summed over its shards.",
  ],
  ["chorus_coordinator_shards", "shards", "Durable Objects the registry is split over."],
] as const;

/**
 * The coordinator's registries as gauges, labelled `registry="workflows"` and `"agents"`.
 * @param storage what the coordinator keeps, if it said
 * @returns the families; none without it
 */
export function coordinatorFamilies(storage: CoordinatorStorage | undefined): Family[] {
  if (storage === undefined) return [];
  return GAUGES.map(([name, key, help]) => ({
    name,
    help,
    type: "gauge",
    samples: (["workflows", "agents"] as const).map((registry) => ({
      name,
      labels: { registry },
      value: storage[registry][key],
    })),
  }));
}

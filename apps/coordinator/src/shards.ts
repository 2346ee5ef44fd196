import { ChorusError } from "@chorus/core";

/** The most shards a registry may have: a listing asks every one of them. */
export const MAX_SHARDS = 256;

// FNV-1a, 32-bit (draft-eastlake-fnv): offset basis 2166136261, prime 16777619.
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const encoder = new TextEncoder();

/**
 * A stable 32-bit hash of a string's UTF-8 bytes: the same id lands on the same shard in every
 * isolate, release and runtime (unlike anything seeded per process).
 * @param text any string
 * @returns an unsigned 32-bit integer
 * @example
 * fnv1a32("a"); // 0xe40c292c
 */
export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET;
  for (const byte of encoder.encode(text)) {
    hash = Math.imul(hash ^ byte, FNV_PRIME) >>> 0;
  }
  return hash;
}

/**
 * Reads the shard count from the `REGISTRY_SHARDS` variable.
 * @param setting the variable's value
 * @returns a whole number from 1 to {@link MAX_SHARDS}
 * @throws ChorusError `INTERNAL` when the variable is missing or malformed: a deployment error
 */
export function shardCount(setting: string | undefined): number {
  const count = Number(setting);
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_SHARDS) {
    throw new ChorusError(
      "INTERNAL",
      `REGISTRY_SHARDS must be a whole number from 1 to ${MAX_SHARDS}, not ${JSON.stringify(setting)}`,
    );
  }
  return count;
}

/**
 * @param index a shard's number, from 0
 * @returns the Durable Object name of that shard
 */
export function shardName(index: number): string {
  return `registry-${index}`;
}

/**
 * The shard that holds a workflow's record.
 * @param workflowId the workflow's id
 * @param count how many shards there are
 * @returns the shard's Durable Object name
 * @example
 * shardFor("wf-1", 16); // "registry-<0..15>", the same on every call
 */
export function shardFor(workflowId: string, count: number): string {
  return shardName(fnv1a32(workflowId) % count);
}

/**
 * @param count how many shards there are
 * @returns every shard's Durable Object name
 */
export function allShards(count: number): string[] {
  return Array.from({ length: count }, (_, index) => shardName(index));
}

/**
 * The agent registry shard that holds an agent: the same FNV-1a hash as workflows, over the
 * `AGENT_SHARDS` objects named `agents-<n>`.
 * @param agentId the agent's id
 * @param count how many agent shards there are
 * @returns the shard's Durable Object name
 */
export function agentShardFor(agentId: string, count: number): string {
  return `agents-${fnv1a32(agentId) % count}`;
}

/**
 * @param count how many agent shards there are
 * @returns every agent shard's Durable Object name
 */
export function allAgentShards(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `agents-${index}`);
}

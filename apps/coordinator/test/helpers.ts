import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { type Result, unwrap, type WorkflowRecord } from "@chorus/core";
import { expect } from "vitest";
import type { ListRequest } from "../src/inputs.ts";
import { allShards } from "../src/shards.ts";

/** The CoordinatorService entrypoint, called over RPC exactly as other workers call it. */
export const service = exports.CoordinatorService;

let counter = 0;
/** @returns a workflow id no other test uses */
export function freshWorkflowId(prefix = "wf"): string {
  counter++;
  return `${prefix}-${counter}-${crypto.randomUUID().slice(0, 8)}`;
}

/** A valid record with a fresh id. */
export function sampleRecord(overrides: Partial<WorkflowRecord> = {}): WorkflowRecord {
  return {
    id: freshWorkflowId(),
    name: "Review pipeline",
    description: "Review every pull request",
    status: "pending",
    priority: "normal",
    tags: ["demo"],
    userId: "u1",
    createdAt: 1_764_000_000_000,
    updatedAt: 1_764_000_000_000,
    createdBy: "alice",
    ...overrides,
  };
}

/**
 * Registers `sampleRecord(overrides)`.
 * @returns the stored record
 */
export async function register(overrides: Partial<WorkflowRecord> = {}): Promise<WorkflowRecord> {
  return unwrap(await service.registerWorkflow({ record: sampleRecord(overrides) }));
}

/**
 * Reads a whole listing page by page.
 * @returns every record in order, and how many pages it took
 */
export async function listAll(query: ListRequest) {
  const workflows: WorkflowRecord[] = [];
  let cursor = query.cursor;
  let pages = 0;
  do {
    const page = unwrap(await service.listWorkflows({ ...query, ...(cursor && { cursor }) }));
    pages++;
    workflows.push(...page.workflows);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return { workflows, pages };
}

/**
 * Reads every shard's rows directly from its SQLite storage.
 * @returns the ids each shard holds, by shard name
 */
export async function idsByShard(): Promise<Map<string, string[]>> {
  const byShard = new Map<string, string[]>();
  for (const name of allShards(Number(env.REGISTRY_SHARDS))) {
    const stub = env.REGISTRY.get(env.REGISTRY.idFromName(name));
    const ids = await runInDurableObject(stub, (_, state) =>
      state.storage.sql
        .exec<{ id: string }>("SELECT id FROM workflows")
        .toArray()
        .map((row) => row.id),
    );
    byShard.set(name, ids);
  }
  return byShard;
}

/**
 * Asserts a failed result and returns its error.
 * @param result an RPC result
 * @param code the expected error code
 */
export function expectError<T>(result: Result<T>, code: string) {
  expect(result.ok, JSON.stringify(result)).toBe(false);
  if (result.ok) throw new Error("unreachable");
  expect(result.error.code).toBe(code);
  return result.error;
}

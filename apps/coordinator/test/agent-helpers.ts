import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { type AgentRecord, type NewAgent, unwrap } from "@chorus/core";
import { expect } from "vitest";
import { agentShardFor } from "../src/shards.ts";

/** The CoordinatorService entrypoint, called over RPC exactly as other workers call it. */
export const service = exports.CoordinatorService;

/** @returns an agent id no other test uses */
export function freshAgentId(): string {
  return `ag_${crypto.randomUUID().replaceAll("-", "")}`;
}

/**
 * Registers an agent with a fresh id.
 * @returns its record
 */
export async function registerAgent(spec: Partial<NewAgent> = {}): Promise<AgentRecord> {
  return unwrap(
    await service.registerAgent({
      agentId: freshAgentId(),
      spec: { name: "r1", type: "reviewer", capabilities: ["ts"], ...spec },
      createdBy: "admin",
    }),
  );
}

/** The agent's shard, as a Durable Object stub. */
export function agentShard(agentId: string) {
  return env.AGENTS.get(env.AGENTS.idFromName(agentShardFor(agentId, Number(env.AGENT_SHARDS))));
}

/**
 * Makes an agent look unheard for longer than its ttl, then runs its shard's alarm, as the
 * runtime would once the deadline passed.
 */
export async function silence(agentId: string): Promise<void> {
  const shard = agentShard(agentId);
  await runInDurableObject(shard, (_, state) => {
    state.storage.sql.exec(
      "UPDATE agents SET last_seen_at = last_seen_at - ttl_ms - 1 WHERE id = ?",
      agentId,
    );
  });
  await runDurableObjectAlarm(shard);
}

/** Creates a workflow in the state manager (its task board). */
export async function createWorkflow(): Promise<string> {
  const workflowId = `wf-${crypto.randomUUID().slice(0, 8)}`;
  unwrap(await env.STATE.create({ workflowId, author: "test" }));
  return workflowId;
}

/**
 * Reads `/agents/{agentId}` of a workflow's head state until it matches, running the shard's
 * alarm (which flushes the status outbox) between reads.
 */
export async function awaitAgentView(workflowId: string, agentId: string, status: string | null) {
  let last: unknown;
  for (let attempt = 0; attempt < 50; attempt++) {
    const read = await env.STATE.getState({ workflowId });
    const state = unwrap(read).state as { agents?: Record<string, { status: string }> };
    last = state.agents?.[agentId];
    if (status === null ? last === undefined : (last as { status?: string })?.status === status) {
      return last;
    }
    await runDurableObjectAlarm(agentShard(agentId));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(last, `agents/${agentId} of ${workflowId}`).toEqual(status);
  return last;
}

import { DurableObject } from "cloudflare:workers";
import {
  attempt,
  type ChangeAck,
  type ChangeDelivery,
  ChorusError,
  deepEqual,
  type SpawnedAgent,
  unwrap,
} from "@chorus/core";
import { applyMigrations } from "@chorus/do-sql";
import { agentObject } from "./agent-namespaces.ts";
import { DirectoryTable, type SpawnedRow } from "./directory-table.ts";
import type { SpawnedAgentRef, SpawnInput } from "./inputs.ts";
import { resumeChanges } from "./resume-changes.ts";
import { DIRECTORY_MIGRATIONS } from "./sql/directory-schema.ts";

/** What a spawn answers: the agent, and whether this call made it. */
export interface Spawned {
  agent: SpawnedAgent;
  created: boolean;
}

/**
 * The agents one workflow spawned (one object per workflow): at most one live agent per type.
 * It starts and stops the agent objects, lists them, and passes its workflow's change
 * deliveries on to each live one. With no live agent it pauses its deliveries (core's
 * `ChangeAck`), so a workflow without agents pays no delivery per commit; starting an agent
 * resumes them before the agent starts.
 */
export class AgentDirectory extends DurableObject<AgentsEnv> {
  readonly #table: DirectoryTable;

  constructor(ctx: DurableObjectState, env: AgentsEnv) {
    super(ctx, env);
    this.#table = new DirectoryTable(ctx.storage.sql);
    void ctx.blockConcurrencyWhile(async () =>
      applyMigrations(ctx.storage.sql, DIRECTORY_MIGRATIONS),
    );
  }

  /**
   * Spawns the workflow's agent of a type, or answers the live one: the same config again is
   * the same agent (`created: false`), another config is `ALREADY_EXISTS` at `/config`.
   */
  spawn(input: SpawnInput) {
    return attempt(async (): Promise<Spawned> => {
      const config = input.config ?? {};
      const existing = this.#table.byType(input.type);
      if (existing !== undefined && existing.status !== "stopped") {
        if (!deepEqual(existing.config, config)) {
          throw new ChorusError(
            "ALREADY_EXISTS",
            `workflow ${input.workflowId} runs a ${input.type} agent with another config; stop it first`,
            { path: "/config" },
          );
        }
        return { agent: await this.#start(input.workflowId, existing), created: false };
      }
      const row: SpawnedRow = {
        type: input.type,
        agentId: `ag_${randomHex(16)}`,
        config,
        status: "starting",
        createdAt: Date.now(),
        createdBy: input.createdBy,
      };
      // Stored before the start is awaited, so a second spawn at the same moment finds it.
      this.#table.put(row);
      return { agent: await this.#start(input.workflowId, row), created: true };
    });
  }

  /** Answers the live agent of a type, spawning one with no config when none runs. */
  ensure(input: Omit<SpawnInput, "config">) {
    return attempt(async (): Promise<Spawned> => {
      const existing = this.#table.byType(input.type);
      if (existing !== undefined && existing.status !== "stopped") {
        return { agent: await this.#start(input.workflowId, existing), created: false };
      }
      return unwrap(await this.spawn({ ...input, config: {} }));
    });
  }

  /** The workflow's live agents, oldest first, as each answers. */
  list(input: { workflowId: string }) {
    return attempt(async () => {
      const rows = this.#table.live();
      const agents = await Promise.all(rows.map((row) => this.#info(input.workflowId, row)));
      return agents.filter((agent) => agent !== undefined);
    });
  }

  /** One spawned agent, stopped ones included; `NOT_FOUND` at `/agentId`. */
  get(input: SpawnedAgentRef) {
    return attempt(async () => {
      const agent = await this.#info(input.workflowId, this.#byId(input.agentId));
      if (agent === undefined) throw notFound(input.agentId);
      return agent;
    });
  }

  /** Stops one: it drains, then deregisters (`draining` until it has). `NOT_FOUND` at `/agentId`. */
  stop(input: SpawnedAgentRef) {
    return attempt(async () => {
      const row = this.#byId(input.agentId);
      const agent = unwrap(await agentObject(this.env, row.type, input.workflowId).stop());
      this.#table.setStatus(row.agentId, agent.status);
      return agent;
    });
  }

  /**
   * Passes a delivery on to every live agent; the answer is the lowest version all of them hold,
   * so the state manager sends again what one of them missed (the others drop it as a repeat).
   * With no live agent, the answer pauses deliveries until an agent starts.
   */
  deliver(delivery: ChangeDelivery) {
    return attempt(async (): Promise<ChangeAck> => {
      const last = delivery.events[delivery.events.length - 1]?.version ?? 0;
      const live = this.#table.live();
      if (live.length === 0) return { upTo: last, pause: true };
      const acks = await Promise.all(
        live.map(async (row) =>
          unwrap(await agentObject(this.env, row.type, delivery.workflowId).receive(delivery)),
        ),
      );
      return { upTo: Math.min(last, ...acks.map((ack) => ack.upTo)) };
    });
  }

  async #start(workflowId: string, row: SpawnedRow): Promise<SpawnedAgent> {
    // The row is live already, so no delivery from here on pauses; a pause answered before it
    // was written is undone here, before the agent can miss a change.
    unwrap(await resumeChanges(this.env, workflowId));
    const started = unwrap(
      await agentObject(this.env, row.type, workflowId).start({
        workflowId,
        agentId: row.agentId,
        type: row.type,
        config: row.config,
        createdBy: row.createdBy,
      }),
    );
    this.#table.setStatus(row.agentId, started.status);
    return started;
  }

  async #info(workflowId: string, row: SpawnedRow): Promise<SpawnedAgent | undefined> {
    const agent = unwrap(await agentObject(this.env, row.type, workflowId).info());
    // A stopped agent's object may live again under a new id; what it was is in the directory.
    if (agent?.agentId !== row.agentId) return undefined;
    if (agent.status !== row.status) this.#table.setStatus(row.agentId, agent.status);
    return agent;
  }

  #byId(agentId: string): SpawnedRow {
    const row = this.#table.byId(agentId);
    if (row === undefined) throw notFound(agentId);
    return row;
  }
}

function notFound(agentId: string): ChorusError {
  return new ChorusError("NOT_FOUND", `no spawned agent ${agentId} in this workflow`, {
    path: "/agentId",
  });
}

function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (byte) =>
    byte.toString(16).padStart(2, "0"),
  ).join("");
}

import { DurableObject } from "cloudflare:workers";
import {
  type AgentLease,
  type AgentRecord,
  attempt,
  ChorusError,
  type Result,
  type TaskClaim,
  unwrap,
  validateOrThrow,
} from "@chorus/core";
import { AfterAnswer } from "./after-answer.ts";
import {
  AgentRef,
  type AgentRefRequest,
  DEFAULT_LEASE_MS,
  LeaseRef,
  ListAgentsInput,
  type ListAgentsRequest,
  PushQuery,
  RegisterAgentInput,
  type RegisterAgentRequest,
  ReserveInput,
  SettleInput,
  ShardClaimInput,
  TaskLeaseRef,
} from "./agent-inputs.ts";
import { AgentOutbox } from "./agent-outbox.ts";
import { AgentTable } from "./agent-table.ts";
import { workflowView } from "./agent-view.ts";
import { type PushCandidate, pushCandidates } from "./push-candidates.ts";
import { boardCounts, grantedLeases, type ShardClaims } from "./shard-claim.ts";
import { type ShardStorage, shardStorage } from "./shard-storage.ts";
import { migrateAgents } from "./sql/agent-schema.ts";
import { taskBoard } from "./task-board.ts";

/** How long after a failed outbox flush the alarm tries again. */
const RETRY_MS = 5_000;

/** How long an idle/busy flip waits before it is written, so flips in between coalesce. */
const FLIP_DELAY_MS = 5_000;

/**
 * How long writes made after an answer may gather before a timer runs them. Any call that reads
 * what they change runs them first, so only the object's `fsync`s depend on it.
 */
const AFTER_ANSWER_DELAY_MS = 250;

/** Slots a claim may hold beyond its lease length, for the round trip to the task board. */
const RESERVATION_SLACK_MS = 10_000;

/** What a claim may take: the slots held for it, and the agent's capabilities. */
export interface Reservation {
  reservationId: string | null;
  slots: number;
  capabilities: string[];
}

/**
 * One shard of the agent registry: the agents whose ids hash to it, their capacity (leases and
 * reservations), and an outbox of lease releases and status writes. Each method reads and writes
 * without awaiting in between, so a capacity check and its reservation are atomic. The alarm
 * sends agents unheard for `ttlMs` offline and flushes the outbox; it catches its own errors and
 * always re-arms, so nothing rests on the runtime's alarm retries.
 */
export class AgentRegistry extends DurableObject<CoordinatorEnv> {
  readonly #storage: DurableObjectStorage;
  readonly #agents: AgentTable;
  readonly #outbox: AgentOutbox;
  readonly #afterAnswer: AfterAnswer;

  constructor(ctx: DurableObjectState, env: CoordinatorEnv) {
    super(ctx, env);
    this.#storage = ctx.storage;
    this.#agents = new AgentTable(ctx.storage.sql);
    this.#outbox = new AgentOutbox(ctx.storage.sql, env.STATE);
    this.#afterAnswer = new AfterAnswer(
      (write) => ctx.storage.transactionSync(write),
      () => this.#armFor(Date.now()),
      AFTER_ANSWER_DELAY_MS,
    );
    void ctx.blockConcurrencyWhile(async () => migrateAgents(ctx.storage.sql));
  }

  /** Stores a new agent, `idle`. The same id again is `ALREADY_EXISTS` at `/agentId`. */
  registerAgent(input: RegisterAgentRequest): Promise<Result<AgentRecord>> {
    return this.#change(() => {
      const parsed = validateOrThrow(RegisterAgentInput, input);
      const now = Date.now();
      if (this.#agents.get(parsed.agentId, now) !== undefined) {
        throw new ChorusError("ALREADY_EXISTS", `agent ${parsed.agentId} exists`, {
          path: "/agentId",
        });
      }
      this.#agents.insert(parsed, now);
      this.#report(parsed.agentId, now, true);
      return this.#find(parsed.agentId, now);
    });
  }

  /** One agent; `NOT_FOUND` at `/agentId`. */
  getAgent(input: AgentRefRequest): Promise<Result<AgentRecord>> {
    return this.#read(() => this.#find(validateOrThrow(AgentRef, input).agentId, Date.now()));
  }

  /** This shard's agents matching every filter, oldest first. */
  listAgents(input: ListAgentsRequest): Promise<Result<AgentRecord[]>> {
    return this.#read(() => this.#agents.list(validateOrThrow(ListAgentsInput, input), Date.now()));
  }

  /**
   * Hears from an agent: `lastSeenAt` moves to now, and an `offline` agent is `idle` again
   * (without the leases it lost). `NOT_FOUND` for an agent never registered or deregistered.
   */
  touchAgent(input: AgentRefRequest): Promise<Result<AgentRecord>> {
    return this.#change(() => this.#touch(validateOrThrow(AgentRef, input).agentId, Date.now()));
  }

  /**
   * Drains an agent: it takes no new work. One that holds no lease is deregistered at once
   * (`deregistered: true`); otherwise it stays `draining` until a later drain finds it free.
   */
  drainAgent(
    input: AgentRefRequest,
  ): Promise<Result<{ agent: AgentRecord; deregistered: boolean }>> {
    return this.#change(() => {
      const { agentId } = validateOrThrow(AgentRef, input);
      const now = Date.now();
      const agent = this.#find(agentId, now);
      if (this.#agents.held(agentId, now) > 0) {
        this.#agents.setStatus(agentId, "draining");
        this.#report(agentId, now);
        return { agent: this.#find(agentId, now), deregistered: false };
      }
      this.#outbox.queueStatus(agentId, this.#agents.workflows(agentId), null);
      this.#agents.delete(agentId);
      return { agent, deregistered: true };
    });
  }

  /** @returns an agent's live leases, soonest to expire first */
  agentLeases(input: AgentRefRequest): Promise<Result<AgentLease[]>> {
    return this.#read(() => {
      const { agentId } = validateOrThrow(AgentRef, input);
      const now = Date.now();
      this.#find(agentId, now);
      return this.#agents.leases(agentId, now);
    });
  }

  /**
   * Holds up to `max` of an agent's free slots for a claim: none for a draining agent or one at
   * its `maxConcurrency`. Counts as hearing from the agent. The reservation frees itself once
   * the lease it was for would have run out, should nobody settle it.
   */
  reserve(input: unknown): Promise<Result<Reservation>> {
    return this.#change(() => {
      const parsed = validateOrThrow(ReserveInput, input);
      const now = Date.now();
      const agent = this.#touch(parsed.agentId, now);
      if (agent.workflowIds !== null && !agent.workflowIds.includes(parsed.workflowId)) {
        throw new ChorusError(
          "VALIDATION_FAILED",
          `agent ${agent.id} does not work on workflow ${parsed.workflowId}`,
          { path: "/agentId" },
        );
      }
      const free = agent.maxConcurrency - this.#agents.held(agent.id, now);
      const slots = agent.status === "draining" ? 0 : Math.max(0, Math.min(parsed.max, free));
      if (slots === 0) return { reservationId: null, slots, capabilities: agent.capabilities };
      const reservationId = crypto.randomUUID();
      const expiresAt = now + parsed.leaseMs + RESERVATION_SLACK_MS;
      this.#agents.reserve(reservationId, agent.id, slots, expiresAt);
      return { reservationId, slots, capabilities: agent.capabilities };
    });
  }

  /** Replaces a reservation with the leases the task board granted; unused slots are free again. */
  settle(input: unknown): Promise<Result<AgentRecord>> {
    return this.#change(() => this.#settle(validateOrThrow(SettleInput, input)));
  }

  /**
   * Claims ready tasks for one of this shard's agents in one call. An agent that works on one
   * workflow only holds every lease it has on that workflow's task board, so the board counts
   * them and caps the claim at `maxConcurrency` in the claim's own commit: nothing is reserved
   * here first, and the leases and the touch are recorded just after the answer
   * ({@link AfterAnswer}); lost to a reset, they only leave this shard's view of the agent
   * behind, never its capacity. Any other agent's slots are reserved here, durably, before the
   * board is asked (the output gate holds the call until the reservation is written), so an
   * object reset in between leaks them only until the reservation runs out, one lease length
   * later; the reservation is settled into the leases granted just after the answer.
   * @returns the claims, how many slots were free (0: nothing was asked of the board), and
   *   whether the board counted the agent's capacity
   */
  claimTasks(input: unknown): Promise<Result<ShardClaims>> {
    // Reads no lease: a reservation (below) runs the queued writes first.
    return attempt(async () => {
      const { agentId, workflowId, max, leaseMs, taskId } = validateOrThrow(ShardClaimInput, input);
      const now = Date.now();
      const agent = this.#find(agentId, now);
      const counted = boardCounts(agent, workflowId);
      // A push (taskId) reserves even so: it tells a full agent from a task not claimable.
      const fast = counted && taskId === undefined && isWorking(agent.status);
      const reservation = fast
        ? undefined
        : unwrap(
            await this.reserve({ agentId, workflowId, max, leaseMs: leaseMs ?? DEFAULT_LEASE_MS }),
          );
      if (reservation?.reservationId === null) return { claims: [], slots: 0, counted };
      const slots = reservation?.slots ?? Math.min(max, agent.maxConcurrency);
      let claims: TaskClaim[] = [];
      try {
        const board = taskBoard(this.env.STATE);
        claims = unwrap(
          await board.claimTasks({
            workflowId,
            agent: {
              id: agentId,
              capabilities: agent.capabilities,
              ...(counted ? { maxConcurrency: agent.maxConcurrency } : {}),
            },
            max: slots,
            ...(leaseMs === undefined ? {} : { leaseMs }),
            ...(taskId === undefined ? {} : { taskId }),
          }),
        ).claims;
        return { claims, slots, counted };
      } finally {
        const reservationId = reservation?.reservationId ?? null;
        this.#afterAnswer.add(`settling a claim of ${agentId}`, () => {
          if (fast) this.#touch(agentId, now);
          this.#settle({ agentId, workflowId, reservationId, leases: grantedLeases(claims) });
        });
      }
    });
  }

  /** Extends a lease (`expiresAt`) or forgets one that ended (none); hears from the agent. */
  updateLease(input: unknown): Promise<Result<AgentRecord>> {
    return this.#change(() => {
      const { agentId, leaseId, expiresAt } = validateOrThrow(LeaseRef, input);
      const now = Date.now();
      if (expiresAt === undefined) this.#agents.endLease(agentId, leaseId);
      else this.#agents.renewLease(agentId, leaseId, expiresAt);
      return this.#touch(agentId, now);
    });
  }

  /**
   * Forgets a lease that ended (completed, failed, found expired) and hears from the agent,
   * just after answering ({@link AfterAnswer}): the answer says only that it will be done.
   */
  endLease(input: unknown): Promise<Result<null>> {
    return attempt(() => {
      const { agentId, leaseId } = validateOrThrow(LeaseRef, input);
      this.#afterAnswer.add(`ending lease ${leaseId} of ${agentId}`, () => {
        this.#agents.endLease(agentId, leaseId);
        this.#touch(agentId, Date.now());
      });
      return null;
    });
  }

  /**
   * Forgets the agent's lease on a task that ended without it (cancelled), so its slot is free
   * at once. Not hearing from the agent: someone else ended the task.
   */
  endTaskLease(input: unknown): Promise<Result<AgentRecord>> {
    return this.#change(() => {
      const { agentId, workflowId, taskId } = validateOrThrow(TaskLeaseRef, input);
      const now = Date.now();
      this.#find(agentId, now);
      this.#agents.endTaskLease(agentId, workflowId, taskId);
      this.#report(agentId, now);
      return this.#find(agentId, now);
    });
  }

  /** Live, undrained agents of this shard that have the capabilities and a free slot. */
  pushCandidates(input: unknown): Promise<Result<PushCandidate[]>> {
    return this.#read(() => {
      const now = Date.now();
      return pushCandidates(this.#agents.list({}, now), validateOrThrow(PushQuery, input), (id) =>
        this.#agents.held(id, now),
      );
    });
  }

  /** How many agents this shard holds and how large its database is. */
  storage(): Promise<Result<ShardStorage>> {
    return this.#read(() => shardStorage(this.#storage.sql, "agents"));
  }

  /** Sends silent agents offline, flushes the outbox, and re-arms; never throws. */
  override async alarm(): Promise<void> {
    try {
      this.#afterAnswer.flush();
      const now = Date.now();
      this.#storage.transactionSync(() => {
        this.#agents.purge(now);
        for (const agentId of this.#agents.silent(now)) {
          this.#agents.setStatus(agentId, "offline");
          this.#outbox.queueRelease(agentId, this.#agents.dropLeases(agentId));
          this.#report(agentId, now);
        }
      });
      await this.#outbox.flush();
    } catch (error) {
      console.error("agent registry alarm failed", error);
    }
    const due = this.#outbox.nextDue();
    await this.#arm(due === undefined ? undefined : Math.max(due, Date.now() + RETRY_MS));
  }

  /**
   * Runs a change in one transaction, after the writes queued to follow earlier answers, then
   * makes sure the alarm will follow it up.
   */
  async #change<T>(fn: () => T): Promise<Result<T>> {
    this.#afterAnswer.flush();
    const result = await attempt(() => this.#storage.transactionSync(fn));
    if (!result.ok) return result;
    await this.#armFor(Date.now());
    return result;
  }

  /** Runs a call that changes nothing now, after the writes queued to follow earlier answers. */
  #read<T>(fn: () => T | Promise<T>): Promise<Result<T>> {
    if (this.#afterAnswer.flush()) void this.#armFor(Date.now()).catch(() => undefined);
    return attempt(fn);
  }

  /** Arms the alarm for the outbox's next row (not before `now`) and the agents' deadlines. */
  async #armFor(now: number): Promise<void> {
    const due = this.#outbox.nextDue();
    await this.#arm(due === undefined ? undefined : Math.max(due, now));
  }

  /** {@link settle}, in the caller's transaction. */
  #settle(parsed: SettleInput): AgentRecord {
    const now = Date.now();
    this.#find(parsed.agentId, now);
    if (parsed.reservationId !== null) this.#agents.release(parsed.reservationId, parsed.agentId);
    if (parsed.leases.length > 0) this.#agents.addWorkflow(parsed.agentId, parsed.workflowId);
    for (const lease of parsed.leases) {
      this.#agents.addLease(parsed.agentId, parsed.workflowId, {
        ...lease,
        workflowId: parsed.workflowId,
      });
    }
    this.#report(parsed.agentId, now);
    return this.#find(parsed.agentId, now);
  }

  /** Arms the alarm at the earliest of `soon` and the next agent's deadline. */
  async #arm(soon: number | undefined): Promise<void> {
    const due = [soon, this.#agents.nextDeadline()].filter((at) => at !== undefined);
    if (due.length === 0) return;
    const at = Math.min(...due);
    const current = await this.#storage.getAlarm();
    if (current === null || current > at) await this.#storage.setAlarm(at);
  }

  #touch(agentId: string, now: number): AgentRecord {
    const agent = this.#find(agentId, now);
    this.#agents.setStatus(agentId, agent.status === "draining" ? "draining" : "active", now);
    this.#report(agentId, now);
    return this.#find(agentId, now);
  }

  /** Queues the agent's status for its workflows when it differs from the one last written. */
  #report(agentId: string, now: number, force = false): void {
    const agent = this.#find(agentId, now);
    const reported = this.#agents.reported(agentId);
    if (!force && reported === agent.status) return;
    this.#agents.setReported(agentId, agent.status);
    // An idle/busy flip is what every claim and completion causes: hold it back to coalesce.
    const flip = !force && isWorking(reported) && isWorking(agent.status);
    const dueAt = flip ? now + FLIP_DELAY_MS : 0;
    this.#outbox.queueStatus(agentId, this.#agents.workflows(agentId), workflowView(agent), dueAt);
  }

  #find(agentId: string, now: number): AgentRecord {
    const agent = this.#agents.get(agentId, now);
    if (agent === undefined) {
      throw new ChorusError("NOT_FOUND", `agent ${agentId} is not registered`, {
        path: "/agentId",
      });
    }
    return agent;
  }
}

function isWorking(status: string | undefined): boolean {
  return status === "idle" || status === "busy";
}

import { ChangeAck, type Result, type StateEvent } from "@chorus/core";
import * as v from "valibot";
import { type DeliveryConfig, retryAfter } from "./change-consumers.ts";
import type { Outbox } from "./outbox.ts";
import { versionEvent } from "./state-events.ts";
import type { Timers } from "./task-timers.ts";
import type { WorkflowContext } from "./workflow-context.ts";

/** How many events one delivery carries at most… */
const BATCH_EVENTS = 100;

/** …or how many characters of events, whichever comes first (one large event still goes). */
const BATCH_CHARS = 1024 * 1024;

/**
 * Delivers the outbox to each consumer over RPC, in version order, one batch at a time: the
 * cursor moves on an acknowledgement; a failure (a refusal, a throw, an answer below the batch)
 * sets the consumer's `delivery` timer to its backoff, and the object's alarm tries again then.
 * While a consumer backs off, commits do not wake it: its backoff holds.
 *
 * A commit that finds no `delivery` timer set sets one, the watchdog, in the same write as the
 * commit: should this instance die with versions undelivered, its alarm resumes from the cursor
 * on disk. Deliveries themselves write nothing (the cursor is written with the next commit, see
 * {@link Outbox}); a watchdog that fires with the consumer caught up writes the cursor and
 * clears itself, so a busy workflow pays one such write per watchdog period, not per commit.
 */
export class ChangeDeliverer {
  readonly #ctx: WorkflowContext;
  readonly #outbox: Outbox;
  readonly #timers: Timers;
  readonly #config: DeliveryConfig;
  readonly #arm: () => Promise<void>;
  /** consumers whose delivery loop runs in this instance */
  readonly #running = new Set<string>();
  /** resumes asked for since this instance started: a pause sent before one does not hold */
  #resumes = 0;

  /**
   * @param ctx the workflow
   * @param outbox its outbox
   * @param timers its timers, which hold each failing consumer's next attempt
   * @param config the consumers and the backoff
   * @param arm arms the object's alarm at the earliest timer
   */
  constructor(
    ctx: WorkflowContext,
    outbox: Outbox,
    timers: Timers,
    config: DeliveryConfig,
    arm: () => Promise<void>,
  ) {
    this.#ctx = ctx;
    this.#outbox = outbox;
    this.#timers = timers;
    this.#config = config;
    this.#arm = arm;
  }

  /** Starts delivery to every consumer that is neither delivering nor backing off (after a commit). */
  wake(): void {
    let watchdogs = false;
    for (const consumer of this.#config.consumers.keys()) {
      if (this.#outbox.paused(consumer) || this.#outbox.cursor(consumer).failures > 0) continue;
      if (this.#timers.get("delivery", consumer) === undefined) {
        this.#timers.set("delivery", consumer, this.#ctx.now() + this.#config.firstRetryMs);
        watchdogs = true;
      }
      void this.#run(consumer);
    }
    if (watchdogs)
      void this.#arm().catch((error) => console.error("arming delivery failed", error));
  }

  /**
   * Resumes the consumers that paused (a consumer that needs the workflow's changes again, such
   * as an agent directory that spawned its first agent): the next commit is delivered to them.
   * @returns the newest version committed: deliveries start after it
   */
  resume(): number {
    this.#resumes += 1;
    this.#outbox.resume();
    return this.#ctx.versions.latest();
  }

  /** @returns whether some consumer's next attempt is due by `now` */
  due(now: number): boolean {
    return this.#timers.due("delivery", now, 1).length > 0;
  }

  /** Runs the deliveries whose attempt is due by `now` (from the alarm); never throws. */
  async runDue(now: number): Promise<void> {
    const due = this.#timers.due("delivery", now).filter((key) => {
      if (this.#running.has(key)) {
        // Still waiting on its answer here: look again after one more backoff, not at once.
        const { failures } = this.#outbox.cursor(key);
        this.#timers.set("delivery", key, now + retryAfter(failures + 1, this.#config));
        return false;
      }
      if (this.#config.consumers.has(key)) return true;
      // A consumer no longer configured: forget its timer, or it would wake the alarm forever.
      this.#timers.clear("delivery", key);
      return false;
    });
    await Promise.all(due.map((consumer) => this.#run(consumer)));
  }

  async #run(consumer: string): Promise<void> {
    if (this.#running.has(consumer)) return;
    this.#running.add(consumer);
    try {
      while (await this.#deliverNext(consumer));
    } catch (error) {
      console.error(`change delivery to ${consumer} failed`, error);
    } finally {
      this.#running.delete(consumer);
    }
  }

  // One batch: true when it was acknowledged and more may follow.
  async #deliverNext(consumer: string): Promise<boolean> {
    const versions = this.#outbox.paused(consumer)
      ? []
      : this.#outbox.after(this.#outbox.cursor(consumer).acked, BATCH_EVENTS);
    if (versions.length === 0) {
      await this.#settle(consumer);
      return false;
    }
    let upTo: number | undefined;
    let pause = false;
    let sent: StateEvent[] = [];
    const resumes = this.#resumes;
    try {
      sent = await this.#batch(versions);
      const service = this.#config.consumers.get(consumer);
      const answer: Result<unknown> | undefined = await service?.deliverChanges({
        workflowId: this.#ctx.workflowId(),
        events: sent,
      });
      const ack = answer?.ok === true ? v.safeParse(ChangeAck, answer.value) : undefined;
      if (ack?.success === true) {
        upTo = ack.output.upTo;
        pause = ack.output.pause === true;
      } else
        console.error(`${consumer} refused changes`, answer?.ok === false ? answer.error : answer);
    } catch (error) {
      console.error(`delivering changes to ${consumer} threw`, error);
    }
    const first = sent[0]?.version ?? 0;
    const last = sent[sent.length - 1]?.version ?? 0;
    if (upTo === undefined || upTo < first) {
      const failed = this.#outbox.failed(consumer);
      this.#timers.set("delivery", consumer, this.#ctx.now() + retryAfter(failed, this.#config));
      await this.#arm();
      return false;
    }
    // An answer past the batch is the consumer's own business: the cursor stops at what was sent.
    this.#outbox.acknowledge(consumer, Math.min(upTo, last));
    if (!pause || resumes !== this.#resumes) return true;
    this.#outbox.pause(consumer);
    await this.#settle(consumer);
    return false;
  }

  // Caught up: a due timer (the watchdog, or a backoff that just succeeded) is cleared and the
  // cursor written; one not yet due stays, and the next commit writes the cursor.
  async #settle(consumer: string): Promise<void> {
    const due = this.#timers.get("delivery", consumer);
    if (due === undefined || due > this.#ctx.now()) return;
    this.#outbox.flush();
    this.#timers.clear("delivery", consumer);
    await this.#arm();
  }

  // The versions' events, built as every stream builds them, up to the character bound.
  async #batch(versions: number[]): Promise<StateEvent[]> {
    const events: StateEvent[] = [];
    let chars = 0;
    for (const version of versions) {
      const row = this.#ctx.versions.require(version);
      const event = await versionEvent(this.#ctx, row, { remember: true });
      chars += JSON.stringify(event).length;
      if (events.length > 0 && chars > BATCH_CHARS) break;
      events.push(event);
    }
    return events;
  }
}

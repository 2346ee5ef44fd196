import type { StateEvent } from "./schemas/state-event.ts";

/** What a consumer should do with a delivery, given what it has applied already. */
export interface ChangePlan {
  /** the events to apply, in increasing version order, none at or below `lastApplied` */
  apply: StateEvent[];
  /** how many events were dropped as already applied (or repeated within the delivery) */
  duplicates: number;
  /**
   * set when the first event to apply is not the one right after `lastApplied`: versions in
   * between never reached this consumer (it joined late, or lost its own record), so its copy
   * should be rebuilt from a read of the state rather than from these patches alone
   */
  gap?: { after: number; next: number };
  /** the version to answer with (`ChangeAck.upTo`) once `apply` is applied */
  upTo: number;
}

/**
 * Sorts a delivery against the last version a consumer applied: which events are new, which
 * are repeats (delivery is at least once), and whether versions are missing.
 * @param lastApplied the highest version of the workflow already applied; 0 for none
 * @param events the delivery's events
 * @returns the plan
 * @example
 * const plan = planChanges(stored ?? 0, delivery.events);
 * for (const event of plan.apply) apply(event);
 * return ok({ upTo: plan.upTo });
 */
export function planChanges(lastApplied: number, events: readonly StateEvent[]): ChangePlan {
  const apply: StateEvent[] = [];
  let upTo = lastApplied;
  for (const event of [...events].sort((a, b) => a.version - b.version)) {
    if (event.version <= upTo) continue;
    apply.push(event);
    upTo = event.version;
  }
  const first = apply[0];
  const plan: ChangePlan = { apply, duplicates: events.length - apply.length, upTo };
  if (first !== undefined && lastApplied > 0 && first.version !== lastApplied + 1) {
    plan.gap = { after: lastApplied, next: first.version };
  }
  return plan;
}

/**
 * The de-duplicating inbox of a consumer that follows several workflows: the last applied
 * version of each, kept by the caller (in its own storage) and fed through {@link planChanges}.
 *
 * @example
 * const inbox = new ChangeInbox(await this.ctx.storage.get("applied"));
 * const plan = inbox.plan(delivery);
 * for (const event of plan.apply) await this.apply(event);
 * inbox.applied(delivery.workflowId, plan.upTo);
 * await this.ctx.storage.put("applied", inbox.toJSON());
 * return ok({ upTo: plan.upTo });
 */
export class ChangeInbox {
  readonly #applied: Map<string, number>;

  /** @param applied the last applied version per workflow id, as {@link toJSON} returned it */
  constructor(applied: Record<string, number> = {}) {
    this.#applied = new Map(Object.entries(applied));
  }

  /** @returns the last applied version of a workflow; 0 for none */
  lastApplied(workflowId: string): number {
    return this.#applied.get(workflowId) ?? 0;
  }

  /**
   * @param delivery a delivery's workflow and events
   * @returns what to apply; nothing changes until {@link applied} is called
   */
  plan(delivery: { workflowId: string; events: readonly StateEvent[] }): ChangePlan {
    return planChanges(this.lastApplied(delivery.workflowId), delivery.events);
  }

  /** Records that a workflow's versions up to `version` are applied (never moves back). */
  applied(workflowId: string, version: number): void {
    if (version > this.lastApplied(workflowId)) this.#applied.set(workflowId, version);
  }

  /** @returns the last applied version per workflow, to store and pass back to the constructor */
  toJSON(): Record<string, number> {
    return Object.fromEntries(this.#applied);
  }
}

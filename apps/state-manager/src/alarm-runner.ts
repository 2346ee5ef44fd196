import type { Archiver, Exclusive } from "./archiver.ts";
import type { ChangeDeliverer } from "./change-deliverer.ts";
import type { TaskContext } from "./task-commit.ts";
import { applyDueTimers } from "./task-ops.ts";

/** How soon after a write the archive policy first runs. */
const FIRST_MAINTENANCE_DELAY_MS = 60_000;
/** How often it runs again while the workflow lives. */
const MAINTENANCE_INTERVAL_MS = 6 * 60 * 60 * 1000;
/** How soon task timers whose run failed are tried again. */
const TIMER_RETRY_MS = 5000;

/** What the alarm works on. */
export interface AlarmOptions {
  /** the workflow's tables and clock, its timers among them */
  ctx: TaskContext & { readonly archiver: Archiver };
  /** delivery of the outbox to the consumer workers */
  delivery: ChangeDeliverer;
  /** runs a step in the object's write queue */
  exclusive: Exclusive;
  /** @returns whether the workflow has been created (nothing to maintain before) */
  exists: () => boolean;
}

/**
 * The object's one alarm: always armed at the earliest timer, it runs task timers, change
 * deliveries, review notifications and maintenance (the archive policy, expired idempotency keys).
 */
export class AlarmRunner {
  readonly #ctx: AlarmOptions["ctx"];
  readonly #delivery: ChangeDeliverer;
  readonly #exclusive: Exclusive;
  readonly #exists: () => boolean;
  #alarmAt: number | undefined;

  /** @param options what the alarm works on */
  constructor(options: AlarmOptions) {
    this.#ctx = options.ctx;
    this.#delivery = options.delivery;
    this.#exclusive = options.exclusive;
    this.#exists = options.exists;
  }

  /**
   * Runs what is due: task timers (lease and backoff ends), change deliveries, then maintenance
   * when it is due or the alarm had nothing else to do. Catches its own failures and re-arms at
   * the earliest timer, so nothing rests on the platform retrying a failed alarm.
   */
  async run(): Promise<void> {
    this.#alarmAt = undefined;
    const timers = this.#ctx.timers;
    const now = this.#ctx.now();
    let tasksDue = false;
    try {
      tasksDue = timers.due("task", now, 1).length > 0;
      if (tasksDue) await this.#exclusive(() => applyDueTimers(this.#ctx, now));
    } catch (error) {
      console.error("task timers failed; retrying soon", error);
      timers.postpone("task", now, now + TIMER_RETRY_MS);
    }
    let deliveryDue = false;
    try {
      deliveryDue = this.#delivery.due(now);
      // Each consumer's run catches its own failures and sets its own retry timer.
      if (deliveryDue) await this.#delivery.runDue(now);
    } catch (error) {
      console.error("change delivery failed; retrying soon", error);
      timers.postpone("delivery", now, now + TIMER_RETRY_MS);
    }
    let notifyDue = false;
    try {
      notifyDue = this.#ctx.notifications.due(now);
      if (notifyDue) await this.#ctx.notifications.runDue(this.#ctx, now);
    } catch (error) {
      console.error("review notifications failed; retrying soon", error);
      timers.postpone("notify", now, now + TIMER_RETRY_MS);
    }
    const maintenanceAt = timers.get("maintenance", "");
    const nothingElse = !tasksDue && !deliveryDue && !notifyDue;
    if (nothingElse || maintenanceAt === undefined || maintenanceAt <= now) {
      timers.clear("maintenance", "");
      try {
        await this.#maintain();
      } catch (error) {
        // A failed run (R2 unreachable) is retried at the next interval, not in a tight loop.
        console.error("maintenance failed", error);
      }
    }
    if (this.#exists()) await this.#scheduleMaintenance(MAINTENANCE_INTERVAL_MS);
    await this.arm();
  }

  /** After a write: the first maintenance run is scheduled (unless one is) and the alarm armed. */
  afterWrite(): Promise<void> {
    return this.#scheduleMaintenance(FIRST_MAINTENANCE_DELAY_MS);
  }

  /** Arms the one alarm at the earliest timer; a no-op when it is armed there already. */
  async arm(): Promise<void> {
    const earliest = this.#ctx.timers.earliest();
    if (earliest === undefined || earliest === this.#alarmAt) return;
    this.#alarmAt = earliest;
    await this.#ctx.storage.setAlarm(earliest);
  }

  async #maintain(): Promise<void> {
    const exists = await this.#exclusive(async () => {
      if (!this.#exists()) return false;
      this.#ctx.idempotency.prune(this.#ctx.now());
      return true;
    });
    if (exists) await this.#ctx.archiver.run(this.#exclusive);
  }

  async #scheduleMaintenance(delay: number): Promise<void> {
    const timers = this.#ctx.timers;
    if (timers.get("maintenance", "") === undefined) {
      timers.set("maintenance", "", this.#ctx.now() + delay);
    }
    await this.arm();
  }
}
